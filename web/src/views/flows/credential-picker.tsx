import { useApp } from '../../app-context';
import { useResource } from '../../hooks/use-resource';
import { Field } from '../../ui/field';
import { credentialPlace } from '../settings/credentials-card';
import type { Credential } from '../settings/credentials-card';

/** Picks the workspace credential an HTTP action sends (by name; the value stays on the server). */
export function CredentialPicker({
  value,
  onChange,
  readOnly,
  title,
}: {
  value: string | undefined;
  onChange: (name: string | undefined) => void;
  readOnly: boolean;
  title: string;
}) {
  const { api } = useApp();
  const credentials = useResource((signal) => api.get<{ credentials: Credential[] }>('/ui/credentials', { signal }), []);
  const list = credentials.data?.credentials ?? [];
  const missing = value !== undefined && credentials.data !== undefined && !list.some((credential) => credential.name === value);
  return (
    <Field
      label="Credential"
      error={missing ? `No credential named ${value}; create it in Settings → Credentials.` : undefined}
      hint="Sent with the request where its kind says; add them in Settings → Credentials."
    >
      {({ id, describedBy }) => (
        <select
          id={id}
          class="select"
          aria-label={`${title}: credential`}
          aria-describedby={describedBy}
          disabled={readOnly}
          value={value ?? ''}
          onChange={(event) => onChange(event.currentTarget.value || undefined)}
        >
          <option value="">None</option>
          {missing ? <option value={value}>{value}</option> : null}
          {list.map((credential) => (
            <option key={credential.id} value={credential.name}>
              {credential.name} ({credentialPlace(credential)})
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
