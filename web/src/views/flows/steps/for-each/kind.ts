import { uniqueActionId } from '../../../../lib/flow-draft';
import type { StepKindInfo } from '../types';

export const forEachKind: StepKindInfo<'for-each'> = {
  kind: 'for-each',
  label: 'Repeat for each',
  icon: 'refresh',
  description: 'Run steps once for every item of a list, e.g. each tag of the entry.',
  blank: (taken) => ({ id: uniqueActionId('loop', taken), kind: 'for-each', items: '', steps: [] }),
  summary: (step) => `For each of ${step.items || '…'}: ${step.steps.length} step${step.steps.length === 1 ? '' : 's'}`,
  problems: (step) => [
    ...(step.items.trim() ? [] : ['choose the list to repeat over, e.g. $.event.tags.']),
    ...(step.steps.length === 0 ? ['add a step to repeat.'] : []),
  ],
  nested: [{ key: 'steps', label: 'For each item' }],
};
