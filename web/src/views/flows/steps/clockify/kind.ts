import { uniqueActionId } from '../../../../lib/flow-draft';
import type { StepKindInfo } from '../types';

export const clockifyKind: StepKindInfo<'clockify'> = {
  kind: 'clockify',
  label: 'Call Clockify',
  icon: 'explorer',
  description: 'Run one Clockify API operation, e.g. update the time entry.',
  blank: (taken) => ({ id: uniqueActionId('call', taken), kind: 'clockify', operationId: '', params: {} }),
  summary: (step) => step.operationId || 'Clockify call',
  problems: (step) => (step.operationId ? [] : ['choose the Clockify operation to call.']),
};
