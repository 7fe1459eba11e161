import { uniqueActionId } from '../../../../lib/flow-draft';
import type { StepKindInfo } from '../types';

export const httpKind: StepKindInfo<'http'> = {
  kind: 'http',
  label: 'Send an HTTP request',
  icon: 'external',
  description: 'Call another service, e.g. post to a chat webhook.',
  blank: (taken) => ({
    id: uniqueActionId('request', taken),
    kind: 'http',
    method: 'POST',
    url: 'https://',
    headers: { 'content-type': 'application/json' },
    body: { event: '{{ event }}' },
  }),
  summary: (step) => `${step.method} ${step.url.replace(/^https?:\/\//, '') || 'request'}`,
  problems: (step) => (/^https?:\/\/[^/\s]+/.test(step.url) ? [] : ['the URL must start with http:// or https:// and a host.']),
};
