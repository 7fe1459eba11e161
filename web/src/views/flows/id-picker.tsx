import type { NameIndex, IdKind } from '../../lib/names';
import { idKindOf } from '../../lib/names';

type ListKind = Exclude<IdKind, 'workspace'>;

/** The id kind a parameter, body field or condition path (`$.projectId`, `$.tagIds[0]`) holds. */
export function idKindOfField(field: string): ListKind | undefined {
  const last =
    field
      .replace(/\[[^\]]*\]/g, '')
      .split('.')
      .pop() ?? '';
  const kind = idKindOf(last);
  return kind && kind !== 'workspace' ? kind : undefined;
}

/** True when the field holds several ids (`tagIds`, `userIds`): a pick adds rather than replaces. */
export function holdsSeveral(field: string): boolean {
  return /Ids$/.test(
    field
      .replace(/\[[^\]]*\]/g, '')
      .split('.')
      .pop() ?? '',
  );
}

/** The names of the known ids in a value (a string, comma-separated ids or an array), or ''. */
export function namesIn(value: unknown, names: NameIndex): string {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items
    .map((item) => (typeof item === 'string' ? names.nameOf(item.trim()) : undefined))
    .filter(Boolean)
    .join(', ');
}

/**
 * "Pick by name": the workspace's entities of one kind listed by name; choosing one hands its id
 * to the field (the definition stores ids, the editor shows names).
 */
export function IdPicker({
  kind,
  names,
  selected,
  label,
  onPick,
  disabled,
}: {
  kind: ListKind;
  names: NameIndex;
  selected?: string;
  label: string;
  onPick: (id: string) => void;
  disabled?: boolean;
}) {
  const choices = [...names.list(kind)].sort((a, b) => a.name.localeCompare(b.name));
  if (choices.length === 0) return null;
  const current = selected && choices.some((choice) => choice.id === selected) ? selected : '';
  return (
    <label class="id-picker">
      <span class="visually-hidden">{label}</span>
      <select
        class="select select-sm"
        value={current}
        disabled={disabled}
        onChange={(event) => {
          const id = event.currentTarget.value;
          if (id) onPick(id);
        }}
      >
        <option value="">Pick a {kind === 'customField' ? 'custom field' : kind} by name…</option>
        {choices.map((choice) => (
          <option key={choice.id} value={choice.id}>
            {choice.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** "= Acme" beside a field whose value is a known id. */
export function NamedValue({ value, names }: { value: unknown; names: NameIndex }) {
  const text = namesIn(value, names);
  return text ? (
    <span class="muted small id-name" data-testid="id-name">
      = {text}
    </span>
  ) : null;
}
