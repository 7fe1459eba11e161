import { useApp } from '../../app-context';
import { dateTime } from '../../lib/format';
import { StatusBadge } from '../../ui/badge';
import { Card } from '../../ui/card';

const CAPABILITY_LABELS: Record<string, string> = {
  customWebhooks: 'Webhooks from other systems',
  explorerWrites: 'Explorer can change data (admins)',
  httpActions: 'Flows can call any URL',
  forwarding: 'Events forwarded to your URL',
  heavyBootstrap: 'Reports and audit log in the snapshot',
};

export function InstallationCard() {
  const { me } = useApp();
  const enabled = Object.entries(me.edition.capabilities).filter(([, on]) => on).map(([name]) => CAPABILITY_LABELS[name] ?? name);
  return (
    <Card title="Installation" id="installation">
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={me.installation.status} />
        </dd>
        <dt>Installed</dt>
        <dd>{dateTime(me.installation.installedAt)}</dd>
        <dt>Edition</dt>
        <dd>{me.edition.name}</dd>
        <dt>Listening to</dt>
        <dd>{me.edition.events.length} Clockify events</dd>
        <dt>Workspace</dt>
        <dd class="mono">{me.workspaceId}</dd>
      </dl>
      {enabled.length > 0 ? (
        <ul class="chips" style={{ marginTop: '12px' }} aria-label="Enabled capabilities">
          {enabled.map((label) => (
            <li key={label} class="chip">
              {label}
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
