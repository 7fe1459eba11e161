import type { DriftEntry, DriftReport } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useResource } from '../../hooks/use-resource';
import { Badge, toneOfStatus } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { ErrorNotice, Notice, Skeleton } from '../../ui/feedback';

const STATE_TEXT: Record<DriftEntry['state'], string> = {
  ok: 'registered',
  missing: 'missing',
  pending: 'pending',
  failed: 'failed',
  disabled: 'disabled by Clockify',
  unexpected: 'unexpected',
};

export function summarize(entries: DriftEntry[]): DriftReport['summary'] {
  const problems = entries.filter((entry) => entry.state !== 'ok').length;
  return { expected: entries.filter((entry) => entry.state !== 'unexpected').length, ok: entries.length - problems, problems };
}

/** Does Clockify deliver every webhook the add-on needs? If not, which ones, and a repair button for admins. */
export function RegistrationsCard() {
  const { api, me, notify } = useApp();
  const report = useResource((signal) => api.get<DriftReport>('/ui/webhooks/registrations', { signal }), []);
  const repair = useAction(async () => {
    const result = await api.post<{ registered?: unknown[]; failed?: unknown[]; report: Omit<DriftReport, 'summary'> }>(
      '/ui/webhooks/registrations/repair',
      {},
    );
    report.update(() => ({ ...result.report, summary: summarize(result.report.entries) }));
    const failed = result.failed?.length ?? 0;
    notify(
      failed > 0 ? `Repair finished; ${failed} webhook(s) still failed.` : 'Webhook registrations repaired.',
      failed > 0 ? 'error' : 'ok',
    );
  });
  const data = report.data;
  const problems = data?.entries.filter((entry) => entry.state !== 'ok') ?? [];
  return (
    <Card
      title="Webhook registrations"
      id="registrations"
      subtitle="Whether Clockify will deliver every event this add-on listens to."
      actions={
        me.isAdmin && data && problems.length > 0 ? (
          <Button size="sm" variant="primary" icon="refresh" busy={repair.busy} onClick={() => repair.run()}>
            Repair
          </Button>
        ) : null
      }
    >
      {report.error && !data ? (
        <ErrorNotice error={report.error} onRetry={report.reload} compact />
      ) : !data ? (
        <Skeleton lines={3} label="Checking webhook registrations…" />
      ) : (
        <div class="stack-sm">
          {repair.error ? <ErrorNotice error={repair.error} compact /> : null}
          {data.error ? (
            <Notice tone="warn" title="Could not check with Clockify">
              {data.error}
            </Notice>
          ) : null}
          {problems.length === 0 ? (
            <Notice tone="ok">All {data.summary.expected} webhooks are registered.</Notice>
          ) : (
            <Notice tone="warn" title={`${problems.length} of ${data.entries.length} need attention`}>
              {me.isAdmin
                ? 'Repair registers the missing ones again and removes duplicates.'
                : 'Ask a workspace admin to repair them here.'}
            </Notice>
          )}
          <details class="disclosure" open={problems.length > 0}>
            <summary>{problems.length > 0 ? 'Details' : `Show all ${data.entries.length}`}</summary>
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">State</th>
                  </tr>
                </thead>
                <tbody>
                  {(problems.length > 0 ? problems : data.entries).map((entry) => (
                    <tr key={entry.event + (entry.clockifyWebhookId ?? '')}>
                      <td>
                        <span class="mono">{entry.event}</span>
                        {entry.detail ? <div class="muted small">{entry.detail}</div> : null}
                      </td>
                      <td>
                        <Badge tone={entry.state === 'pending' ? 'info' : toneOfStatus(entry.state)}>{STATE_TEXT[entry.state]}</Badge>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </div>
      )}
    </Card>
  );
}
