import { compileJsonPath } from '../flows/condition-path.js';

/**
 * Where a custom source's event type is read. A source names one place — a header
 * (`header:X-Event-Type`) or a JSON path into the payload (`$.meta.kind`) — or keeps the defaults:
 * the payload's `event_type` (the Python system's key), `type`, `event`, `eventType`, then the
 * headers `X-Event-Type` and `X-GitHub-Event`. Nothing found: `custom`. Pure.
 */
export const DEFAULT_EVENT_TYPE_KEYS = ['event_type', 'type', 'event', 'eventType'] as const;
export const DEFAULT_EVENT_TYPE_HEADERS = ['x-event-type', 'x-github-event'] as const;
export const FALLBACK_EVENT_TYPE = 'custom';
const MAX_EVENT_TYPE_LENGTH = 100;

export type EventTypeLocation = { kind: 'header'; name: string } | { kind: 'path'; path: string };

/** Parses a stored or submitted location; the error says what is wrong, for a 400. */
export function parseEventTypeLocation(raw: string): { ok: true; location: EventTypeLocation } | { ok: false; message: string } {
  const header = /^header:\s*([A-Za-z0-9-]{1,80})$/i.exec(raw.trim());
  if (header) return { ok: true, location: { kind: 'header', name: header[1]!.toLowerCase() } };
  if (raw.startsWith('$')) {
    const compiled = compileJsonPath(raw);
    return compiled.ok
      ? { ok: true, location: { kind: 'path', path: raw } }
      : { ok: false, message: `not a valid JSON path: ${compiled.message}` };
  }
  return { ok: false, message: 'must be "header:<Header-Name>" or a JSON path starting with $ (e.g. $.event_type)' };
}

/** The event type of a delivery: from the source's place, or the defaults. */
export function eventTypeOf(location: string | null | undefined, payload: unknown, header: (name: string) => string | undefined): string {
  if (location) {
    const parsed = parseEventTypeLocation(location);
    if (!parsed.ok) return FALLBACK_EVENT_TYPE;
    if (parsed.location.kind === 'header') return usable(header(parsed.location.name)) ?? FALLBACK_EVENT_TYPE;
    const compiled = compileJsonPath(parsed.location.path);
    const found = compiled.ok
      ? compiled
          .evaluate(payload)
          .map(asText)
          .find((value) => value !== undefined)
      : undefined;
    return found ?? FALLBACK_EVENT_TYPE;
  }
  const body = payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
  const candidates = [...DEFAULT_EVENT_TYPE_KEYS.map((key) => body[key]), ...DEFAULT_EVENT_TYPE_HEADERS.map((name) => header(name))];
  return candidates.map(usable).find((value) => value !== undefined) ?? FALLBACK_EVENT_TYPE;
}

/** Where the defaults look, in order, for display. */
export function defaultEventTypePlaces(): string[] {
  return [...DEFAULT_EVENT_TYPE_KEYS.map((key) => `$.${key}`), ...DEFAULT_EVENT_TYPE_HEADERS.map((name) => `header:${name}`)];
}

function asText(value: unknown): string | undefined {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : usable(value);
}

function usable(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_EVENT_TYPE_LENGTH ? value : undefined;
}
