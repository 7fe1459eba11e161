import { uniqueActionId } from '../../../../lib/flow-draft';
import type { StepKindInfo } from '../types';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const setKind: StepKindInfo<'set'> = {
  kind: 'set',
  label: 'Set values',
  icon: 'braces',
  description: 'Name values once (e.g. a total or a label) and use them in later steps.',
  blank: (taken) => ({ id: uniqueActionId('values', taken), kind: 'set', values: { value: '' } }),
  summary: (step) => {
    const names = Object.keys(step.values);
    return names.length === 0 ? 'No values yet' : `Sets ${names.join(', ')}`;
  },
  problems: (step) => {
    const names = Object.keys(step.values);
    if (names.length === 0) return ['add at least one value.'];
    return names.some((name) => !NAME.test(name)) ? ['value names start with a letter or _ and use only letters, digits and _.'] : [];
  },
};
