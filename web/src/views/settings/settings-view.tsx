import { useState } from 'preact/hooks';
import type { SettingView, SettingsResponse } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useResource } from '../../hooks/use-resource';
import { humanizeKey } from '../../lib/format';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { ErrorNotice, Notice, Skeleton } from '../../ui/feedback';
import { CredentialsCard } from './credentials-card';
import { SecretReveal } from './secret-reveal';
import { SourcesCard } from './sources-card';

const GROUP_TITLES: Record<string, string> = {
  bootstrap: 'Workspace snapshot',
  webhooks: 'Webhooks',
  flows: 'Flows',
  data: 'Data and retention',
};

export function formatSettingValue(setting: Pick<SettingView, 'type' | 'value'>): string {
  const { value } = setting;
  if (value === undefined || value === null || value === '') return 'Not set';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.length === 0 ? 'None' : value.join(', ');
  return String(value);
}

export function SettingsView() {
  const { api, me } = useApp();
  const settings = useResource((signal) => api.get<SettingsResponse>('/ui/settings', { signal }), []);
  const groups = new Map<string, SettingView[]>();
  for (const setting of settings.data?.settings ?? []) groups.set(setting.group, [...(groups.get(setting.group) ?? []), setting]);
  return (
    <div class="page-narrow">
      <div class="page-header">
        <div>
          <h1>Settings</h1>
          <p>How this add-on behaves in your workspace.</p>
        </div>
      </div>
      <div class="stack">
        {me.edition.capabilities.customWebhooks ? <SourcesCard /> : null}
        {me.edition.capabilities.httpActions ? <CredentialsCard /> : null}
        <Card
          title="Add-on settings"
          id="settings"
          subtitle={`Change them in Clockify → Workspace settings → Add-ons → ${me.edition.name}. They are shown here read-only.`}
        >
          {settings.error && !settings.data ? (
            <ErrorNotice error={settings.error} onRetry={settings.reload} />
          ) : !settings.data ? (
            <Skeleton lines={6} label="Loading settings…" />
          ) : groups.size === 0 ? (
            <p class="muted">This add-on's settings are visible to workspace owners and admins only.</p>
          ) : (
            <div class="stack">
              {[...groups.entries()].map(([group, items]) => (
                <section key={group} class="settings-group" aria-labelledby={`settings-${group}`}>
                  <h3 class="section-label" id={`settings-${group}`}>
                    {GROUP_TITLES[group] ?? humanizeKey(group)}
                  </h3>
                  <dl class="settings-list">
                    {items.map((setting) => (
                      <div key={setting.id} class="setting">
                        <dt>
                          <span class="setting-name">{setting.name}</span>
                          <span class="setting-description">{setting.description}</span>
                        </dt>
                        <dd>
                          <span class="setting-value">{formatSettingValue(setting)}</span>
                          {setting.default !== undefined && JSON.stringify(setting.default) !== JSON.stringify(setting.value) ? (
                            <span class="muted small">default {formatSettingValue({ type: setting.type, value: setting.default })}</span>
                          ) : null}
                        </dd>
                      </div>
                    ))}
                  </dl>
                </section>
              ))}
            </div>
          )}
        </Card>
        {me.edition.capabilities.forwarding && settings.data?.forwarding ? (
          <ForwardingCard signing={settings.data.forwarding.signing} />
        ) : null}
      </div>
    </div>
  );
}

/** The secret that signs forwarded events: admins reveal it on demand, it is never shown by default. */
function ForwardingCard({ signing }: { signing: string }) {
  const { api, me } = useApp();
  const [secret, setSecret] = useState<string | null>(null);
  const reveal = useAction(async () => {
    const result = await api.get<{ secret: string }>('/ui/settings/forwarding-secret');
    setSecret(result.secret);
  });
  return (
    <Card
      title="Forwarding signature"
      id="forwarding"
      subtitle={`Forwarded events are signed with ${signing}; your receiver verifies them with this secret.`}
    >
      {!me.isAdmin ? (
        <Notice>Only workspace owners and admins can see the signing secret.</Notice>
      ) : secret ? (
        <SecretReveal
          secret={secret}
          what="Signing secret"
          note="Keep it in your receiver's configuration; anyone holding it can forge events."
        />
      ) : (
        <div class="stack-sm">
          {reveal.error ? <ErrorNotice error={reveal.error} compact /> : null}
          <div>
            <Button icon="key" busy={reveal.busy} onClick={() => reveal.run()}>
              Show signing secret
            </Button>
          </div>
        </div>
      )}
    </Card>
  );
}
