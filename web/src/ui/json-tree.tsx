import { useState } from 'preact/hooks';
import type { PathSegment } from '../lib/json-path';
import { Icon } from './icons';

export interface JsonTreeProps {
  value: unknown;
  /** Levels open at first (root is level 0). */
  openDepth?: number;
  /** Field picker mode: each field gets a button that hands back its path. */
  onPick?: (path: PathSegment[], value: unknown) => void;
  pickLabel?: (path: PathSegment[]) => string;
  label?: string;
}

const MAX_CHILDREN = 200;

function isBranch(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object';
}

function entriesOf(value: Record<string, unknown> | unknown[]): [PathSegment, unknown][] {
  return Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
}

function preview(value: Record<string, unknown> | unknown[]): string {
  if (Array.isArray(value)) return value.length === 0 ? '[ ]' : `[ ${value.length} ${value.length === 1 ? 'item' : 'items'} ]`;
  const keys = Object.keys(value);
  return keys.length === 0 ? '{ }' : `{ ${keys.length} ${keys.length === 1 ? 'field' : 'fields'} }`;
}

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span class="json-null">null</span>;
  if (typeof value === 'string') return <span class="json-string">"{value}"</span>;
  if (typeof value === 'number') return <span class="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span class="json-boolean">{String(value)}</span>;
  return <span class="json-null">{String(value)}</span>;
}

function Node({
  name,
  value,
  path,
  depth,
  props,
}: {
  name: PathSegment | null;
  value: unknown;
  path: PathSegment[];
  depth: number;
  props: JsonTreeProps;
}) {
  // An empty object or array has nothing to open: it reads as a value.
  const branch = isBranch(value) && Object.keys(value).length > 0;
  const [open, setOpen] = useState(depth < (props.openDepth ?? 1));
  const [limit, setLimit] = useState(MAX_CHILDREN);
  const children = branch && open ? entriesOf(value as Record<string, unknown> | unknown[]) : [];
  const key =
    name === null ? null : typeof name === 'number' ? <span class="json-index">{name}</span> : <span class="json-key">{name}</span>;
  return (
    <li>
      <div class="json-row">
        {branch ? (
          <button
            type="button"
            class="json-toggle"
            aria-expanded={open ? 'true' : 'false'}
            aria-label={String(name ?? 'root')}
            onClick={() => setOpen(!open)}
          >
            <Icon name={open ? 'down' : 'chevron'} size={14} />
          </button>
        ) : (
          <span class="json-spacer" aria-hidden="true" />
        )}
        {key}
        {key ? <span class="json-colon">:</span> : null}
        {isBranch(value) ? <span class="json-preview">{preview(value)}</span> : <Scalar value={value} />}
        {props.onPick && name !== null ? (
          <button
            type="button"
            class="json-pick"
            onClick={() => props.onPick?.(path, value)}
            aria-label={props.pickLabel ? props.pickLabel(path) : `Use ${String(name)}`}
          >
            Use
          </button>
        ) : null}
      </div>
      {branch && open && children.length > 0 ? (
        <ul class="json-children">
          {children.slice(0, limit).map(([childName, child]) => (
            <Node key={String(childName)} name={childName} value={child} path={[...path, childName]} depth={depth + 1} props={props} />
          ))}
          {children.length > limit ? (
            <li class="json-more">
              <button type="button" class="btn btn-ghost btn-sm" onClick={() => setLimit(limit + MAX_CHILDREN)}>
                Show {Math.min(MAX_CHILDREN, children.length - limit)} more of {children.length - limit}
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </li>
  );
}

/** Collapsible view of any JSON value; keyboard users open and close branches with the toggle buttons. */
export function JsonTree(props: JsonTreeProps) {
  return (
    <ul class="json-tree" aria-label={props.label ?? 'JSON'}>
      <Node name={null} value={props.value} path={[]} depth={0} props={props} />
    </ul>
  );
}
