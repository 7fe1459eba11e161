import { Fragment } from 'preact';
import type { NameIndex } from '../lib/names';
import { humanizeKey } from '../lib/format';

const MAX_SHOWN = 30;

/** Every id in a JSON value that the workspace snapshot can name, once each, in order of appearance. */
export function knownIdsIn(value: unknown, names: NameIndex): { id: string; kind: string; name: string }[] {
  const found = new Map<string, { id: string; kind: string; name: string }>();
  const visit = (node: unknown) => {
    if (found.size >= MAX_SHOWN) return;
    if (typeof node === 'string') {
      const name = names.nameOf(node);
      const kind = names.kindOf(node);
      if (name && kind && !found.has(node)) found.set(node, { id: node, kind, name });
    } else if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') Object.values(node).forEach(visit);
  };
  visit(value);
  return [...found.values()];
}

/** "Who and what" of a payload or a request: the ids in it, named. */
export function KnownIds({ value, names, label = 'Names in this payload' }: { value: unknown; names: NameIndex; label?: string }) {
  const items = knownIdsIn(value, names);
  if (items.length === 0) return null;
  return (
    <div>
      <h3 class="section-label">{label}</h3>
      <dl class="facts" aria-label={label}>
        {items.map((item) => (
          <Fragment key={item.id}>
            <dt>{humanizeKey(item.kind)}</dt>
            <dd title={item.id}>{item.name}</dd>
          </Fragment>
        ))}
      </dl>
    </div>
  );
}
