import { uniqueActionId } from '../../../../lib/flow-draft';
import { countRules, emptyPaths } from '../conditions';
import type { StepKindInfo } from '../types';

export const branchKind: StepKindInfo<'branch'> = {
  kind: 'branch',
  label: 'If / otherwise',
  icon: 'branch',
  description: 'Run some steps when conditions hold, others when they do not.',
  blank: (taken) => ({ id: uniqueActionId('branch', taken), kind: 'branch', if: { mode: 'all', rules: [] }, then: [] }),
  summary: (step) =>
    `If ${countRules(step.if)} condition${countRules(step.if) === 1 ? '' : 's'}: ${step.then.length} then, ${step.else?.length ?? 0} otherwise`,
  problems: (step) =>
    countRules(step.if) === 0
      ? ['add a condition to decide between "Then" and "Otherwise".']
      : emptyPaths(step.if) > 0
        ? ['every condition needs a field path, such as $.event.projectId.']
        : [],
  nested: [
    { key: 'then', label: 'Then' },
    { key: 'else', label: 'Otherwise' },
  ],
};
