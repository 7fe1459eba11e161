import { Fragment } from 'preact';
import type { ExecuteResult } from '../../api/types';
import { duration } from '../../lib/format';
import { Badge, toneOfHttpStatus } from '../../ui/badge';
import { Card } from '../../ui/card';
import { CopyButton } from '../../ui/copy-button';
import { JsonView } from '../../ui/json-view';

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable',
  429: 'Too Many Requests',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Unavailable',
};

function fullUrl(request: ExecuteResult['request']): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) query.append(key, item);
  }
  const text = query.toString();
  return text ? `${request.url}?${text}` : request.url;
}

/** What Clockify answered: status, time, the JSON body as a tree, the exact request and a curl command. */
export function ResponseView({ result, title = 'Response' }: { result: ExecuteResult; title?: string }) {
  return (
    <div data-testid="explorer-response">
      <Card
        title={title}
        level={3}
        actions={
          <div class="row">
            <Badge tone={toneOfHttpStatus(result.status)}>
              {result.status} {REASONS[result.status] ?? ''}
            </Badge>
            <span class="muted small">{duration(result.durationMs)}</span>
            {result.attempts > 1 ? <span class="muted small">{result.attempts} attempts</span> : null}
          </div>
        }
      >
        <div class="stack-sm">
          <div class="row-between">
            <p class="request-line grow">
              <span class="mono">{result.request.method}</span> <code>{fullUrl(result.request)}</code>
            </p>
            <CopyButton text={result.curl} label="Copy as curl" what="curl command" />
          </div>
          <JsonView value={result.body} label="Response body" />
          {Object.keys(result.headers).length > 0 ? (
            <details class="disclosure">
              <summary>Response headers</summary>
              <dl class="facts">
                {Object.entries(result.headers).map(([name, value]) => (
                  <Fragment key={name}>
                    <dt class="mono">{name}</dt>
                    <dd class="mono">{value}</dd>
                  </Fragment>
                ))}
              </dl>
            </details>
          ) : null}
          <details class="disclosure">
            <summary>Show as curl</summary>
            <pre class="code-block">{result.curl}</pre>
          </details>
        </div>
      </Card>
    </div>
  );
}
