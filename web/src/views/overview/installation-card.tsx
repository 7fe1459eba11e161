import { useApp } from '../../app-context';
import { useCapabilities } from '../../hooks/use-capabilities';
import { dateTime } from '../../lib/format';
import { StatusBadge } from '../../ui/badge';
import { Card } from '../../ui/card';

export function InstallationCard() {
  const { me } = useApp();
  const capabilities = useCapabilities();
  // Only what this workspace's settings allow is claimed; what a setting turns off says how to turn it on.
  const on = capabilities?.capabilities.filter((item) => item.state === 'on') ?? [];
  const off = capabilities?.capabilities.filter((item) => item.state === 'off') ?? [];
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
      {on.length > 0 ? (
        <ul class="chips" style={{ marginTop: '12px' }} aria-label="Enabled capabilities">
          {on.map((item) => (
            <li key={item.id} class="chip">
              {item.label}
            </li>
          ))}
        </ul>
      ) : null}
      {off.length > 0 ? (
        <ul class="capabilities-off" aria-label="Turned off by a setting">
          {off.map((item) => (
            <li key={item.id}>
              <span class="chip chip-off">Off · {item.label}</span>
              <p class="muted small">
                {item.reason} {item.howToEnable}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
