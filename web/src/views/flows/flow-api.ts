import type { FlowRecord } from '../../api/types';

/** Flow endpoints may answer `{flow}` or the flow itself; both become the record. */
export function flowOf(response: unknown): FlowRecord {
  if (
    response &&
    typeof response === 'object' &&
    'flow' in response &&
    (response as { flow: unknown }).flow &&
    typeof (response as { flow: unknown }).flow === 'object'
  ) {
    return (response as { flow: FlowRecord }).flow;
  }
  return response as FlowRecord;
}
