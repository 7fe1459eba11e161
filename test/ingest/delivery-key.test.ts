/**
 * The delivery key is what deduplication stores: it must not change across releases, or a retry
 * arriving just after an upgrade would be taken for a new event.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deliveryKey } from '../../src/ingest/delivery-key.js';
import { canonicalJson } from '../../src/util/json.js';

/** The canonical form as the first release built it: a copy with keys in Array#sort order. */
function firstReleaseCanonical(value: unknown): string {
  const sorted = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(sorted);
    if (item && typeof item === 'object') {
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(item).sort()) copy[key] = sorted((item as Record<string, unknown>)[key]);
      return copy;
    }
    return item;
  };
  return JSON.stringify(sorted(value));
}

/** The key as the first release computed it: incremental hashing of the same parts. */
function firstReleaseKey(input: {
  workspaceId: string;
  source: string;
  eventType: string;
  canonical?: string;
  deliveryId?: string;
}): string {
  const hash = createHash('sha256');
  hash.update(input.workspaceId).update('\0').update(input.source).update('\0').update(input.eventType).update('\0');
  if (input.deliveryId) hash.update('id:').update(input.deliveryId);
  else hash.update('body:').update(input.canonical!);
  return hash.digest('base64url');
}

describe('delivery key', () => {
  const base = { workspaceId: 'ws-1', source: 'clockify', eventType: 'NEW_TIME_ENTRY' };

  it('is the key earlier releases stored, for payloads and for explicit delivery ids', () => {
    const payload = { b: 1, a: { d: [1, { z: 'é', y: null }], c: true }, '10': 'x', '2': 'y' };
    // Integer-like keys first in numeric order, then the rest sorted: what JSON.stringify of the sorted copy gives.
    const canonical = '{"2":"y","10":"x","a":{"c":true,"d":[1,{"y":null,"z":"é"}]},"b":1}';
    expect(deliveryKey({ ...base, payload })).toBe(firstReleaseKey({ ...base, canonical }));
    expect(deliveryKey({ ...base, payload, deliveryId: 'msg_123' })).toBe(firstReleaseKey({ ...base, deliveryId: 'msg_123' }));
  });

  it('ignores key order and tells apart workspace, source, event type and content', () => {
    const key = deliveryKey({ ...base, payload: { a: 1, b: [1, 2] } });
    expect(deliveryKey({ ...base, payload: { b: [1, 2], a: 1 } })).toBe(key);
    expect(deliveryKey({ ...base, payload: { a: 1, b: [2, 1] } })).not.toBe(key);
    expect(deliveryKey({ ...base, workspaceId: 'ws-2', payload: { a: 1, b: [1, 2] } })).not.toBe(key);
    expect(deliveryKey({ ...base, source: 'custom:s1', payload: { a: 1, b: [1, 2] } })).not.toBe(key);
    expect(deliveryKey({ ...base, eventType: 'TIME_ENTRY_UPDATED', payload: { a: 1, b: [1, 2] } })).not.toBe(key);
  });

  it('writes any JSON document exactly as the first release did', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(firstReleaseCanonical(value));
      }),
      { numRuns: 500 },
    );
  });
});
