import { useId, useState } from 'preact/hooks';
import type { OperationDocs, OperationForm } from '../../api/types';
import { curlSample, fetchSample } from '../../lib/samples';
import { Badge } from '../../ui/badge';
import { Card } from '../../ui/card';
import { CopyButton } from '../../ui/copy-button';
import { JsonTree } from '../../ui/json-tree';
import { Segmented, TabPanel } from '../../ui/segmented';

const toneOf = (status: string) =>
  status.startsWith('2') ? 'ok' : status.startsWith('4') || status.startsWith('5') ? 'danger' : 'neutral';

/** What the operation answers, read from the spec before anything is run. */
export function ResponsesCard({ docs }: { docs: OperationDocs }) {
  return (
    <Card title="Responses" level={3}>
      <div class="stack-sm" data-testid="explorer-responses">
        <ul class="response-codes" aria-label="Documented response codes">
          {docs.responses.map((response) => (
            <li key={response.status}>
              <Badge tone={toneOf(response.status)}>{response.status}</Badge> <span>{response.description || 'No description'}</span>
            </li>
          ))}
        </ul>
        {docs.responseSchema ? (
          <details class="disclosure">
            <summary>Success response schema</summary>
            <JsonTree value={docs.responseSchema} openDepth={1} label="Response schema" />
          </details>
        ) : null}
      </div>
    </Card>
  );
}

/** The call as the form stands, as curl and as JavaScript fetch, ready to copy. */
export function SamplesCard({
  form,
  docs,
  params,
  body,
}: {
  form: OperationForm;
  docs: OperationDocs;
  params: Record<string, unknown>;
  body: unknown;
}) {
  const [kind, setKind] = useState<'curl' | 'fetch'>('curl');
  const idPrefix = useId();
  const call = {
    method: form.method,
    serverUrl: docs.serverUrl,
    path: form.path,
    parameters: form.parameters,
    params,
    ...(body === undefined ? {} : { body }),
  };
  const text = kind === 'curl' ? curlSample(call) : fetchSample(call);
  return (
    <Card
      title="Code samples"
      level={3}
      actions={
        <CopyButton
          text={text}
          label={kind === 'curl' ? 'Copy curl' : 'Copy fetch'}
          what={kind === 'curl' ? 'curl command' : 'fetch code'}
        />
      }
    >
      <div class="stack-sm" data-testid="explorer-samples">
        <Segmented
          idPrefix={idPrefix}
          label="Sample language"
          value={kind}
          onChange={setKind}
          options={[
            { value: 'curl', label: 'curl' },
            { value: 'fetch', label: 'JavaScript fetch' },
          ]}
        />
        <TabPanel idPrefix={idPrefix} value={kind}>
          <pre class="code-block">{text}</pre>
        </TabPanel>
        <p class="muted small">The token is read from CLOCKIFY_ADDON_TOKEN; it is never written into a sample.</p>
      </div>
    </Card>
  );
}
