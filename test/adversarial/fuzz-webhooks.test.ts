/**
 * Fuzzing the webhook receivers: Clockify's (signature JWT + event-type header + path) and the
 * custom sources' (Standard Webhooks and HMAC signatures over the exact bytes). Correct signatures
 * are mixed in so the fuzzer gets past verification into parsing and storage.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCKIFY_EVENTS, eventSlug } from '../../src/editions/events.js';
import type { ClockifyEvent } from '../../src/editions/events.js';
import { signHmacHex, signStandard } from '../../src/ingest/signatures.js';
import { readResourceJson } from '../../src/resources.js';
import {
  contentType,
  garbageJwt,
  headerValue,
  hostileBodyText,
  hostileJson,
  nastyString,
  pathSegment,
  prototypeKeys,
} from './support/arbitraries.js';
import { RUNS, fuzzSettings } from './support/budget.js';
import { createHarness } from './support/harness.js';
import type { Harness, InstalledWorkspace } from './support/harness.js';

const samples = readResourceJson<Record<string, unknown>>('clockify', 'webhook-samples.json');

describe('fuzz: Clockify webhook bodies and headers', () => {
  let h: Harness;
  let a: InstalledWorkspace;
  let b: InstalledWorkspace;
  const prototypeBefore = prototypeKeys();

  beforeAll(async () => {
    h = await createHarness('universal-webhook');
    a = await h.install();
    b = await h.install();
  });
  afterAll(() => h?.close());

  const manifestEvent = () => fc.constantFrom(...(h.edition.manifestEvents as ClockifyEvent[]));

  it('answers any body on any webhook path without 5xx, storing nothing when it refuses', async () => {
    const body = fc.oneof(
      {
        weight: 2,
        arbitrary: fc
          .tuple(
            fc.constantFrom(...CLOCKIFY_EVENTS),
            fc.option(
              fc.oneof(
                fc.constant(null).map(() => a.workspaceId),
                fc.constant(null).map(() => b.workspaceId),
                nastyString,
              ),
            ),
          )
          .map(([event, workspaceId]) =>
            JSON.stringify({ ...(samples[event] as object), ...(workspaceId === null ? {} : { workspaceId }) }),
          ),
      },
      hostileJson.map((value) => JSON.stringify(value) ?? 'null'),
      hostileBodyText,
    );
    await fc.assert(
      fc.asyncProperty(
        manifestEvent(),
        fc.constantFrom('own', 'other-event', 'other-workspace', 'installation', 'garbage', 'none'),
        fc.constantFrom('generic', 'own-slug', 'other-slug', 'nasty'),
        body,
        fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, contentType),
        nastyString,
        async (event, signatureKind, pathKind, payload, type, nasty) => {
          const otherEvent = h.edition.manifestEvents.find((e) => e !== event)!;
          const signature = {
            own: a.webhookTokens[event],
            'other-event': a.webhookTokens[otherEvent],
            'other-workspace': b.webhookTokens[event],
            installation: a.installationToken,
            garbage: 'eyJhbGciOiJSUzI1NiJ9.e30.AAAA',
            none: undefined,
          }[signatureKind];
          const url = {
            generic: '/webhooks/clockify',
            'own-slug': `/webhooks/clockify/${eventSlug(event)}`,
            'other-slug': `/webhooks/clockify/${eventSlug(otherEvent as ClockifyEvent)}`,
            nasty: `/webhooks/clockify/${pathSegment(nasty, 150)}`,
          }[pathKind];
          const headers: Record<string, string> = { 'content-type': type, 'clockify-webhook-event-type': event };
          if (signature) headers['clockify-signature'] = signature;
          await h.attack({ method: 'POST', url, headers, payload });
        },
      ),
      fuzzSettings(RUNS.clockifyWebhookBody),
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
  });

  it('answers any event-type and signature header without 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(manifestEvent(), fc.constantFrom(...CLOCKIFY_EVENTS), headerValue),
        fc.oneof(
          headerValue,
          garbageJwt,
          fc.constant(null).map(() => a.webhookTokens.NEW_TIME_ENTRY!),
        ),
        fc.option(headerValue, { nil: undefined }),
        async (eventType, signature, requestId) => {
          const headers: Record<string, string> = {
            'content-type': 'application/json',
            'clockify-webhook-event-type': eventType,
            'clockify-signature': signature,
          };
          if (requestId !== undefined) headers['x-request-id'] = requestId;
          const response = await h.attack({
            method: 'POST',
            url: '/webhooks/clockify',
            headers,
            payload: JSON.stringify(samples.NEW_TIME_ENTRY),
          });
          // A request id is echoed only when it is safe to echo.
          expect(String(response.headers['x-request-id'])).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
        },
      ),
      fuzzSettings(RUNS.clockifyWebhookHeaders),
    );
  });
});

describe('fuzz: custom-source signatures and headers', () => {
  let h: Harness;
  let a: InstalledWorkspace;
  const sources: Record<'standard' | 'hmac' | 'none' | 'disabled' | 'foreign', { id: string; secret: string | null }> = {} as never;

  beforeAll(async () => {
    h = await createHarness('universal-webhook');
    a = await h.install();
    const b = await h.install();
    const create = async (workspace: InstalledWorkspace, body: object) => {
      const response = await h.send({
        method: 'POST',
        url: '/ui/sources',
        headers: { authorization: `Bearer ${await workspace.userToken()}` },
        payload: body,
      });
      expect(response.statusCode).toBe(201);
      const created = response.json() as { source: { id: string }; secret: string | null };
      if (created.secret) h.addSecret(created.secret);
      return { id: created.source.id, secret: created.secret };
    };
    sources.standard = await create(a, { name: 'std', signatureMode: 'standard' });
    sources.hmac = await create(a, { name: 'hmac', signatureMode: 'hmac-sha256', signatureHeader: 'x-hub-signature-256' });
    sources.none = await create(a, { name: 'open', signatureMode: 'none', allowUnsigned: true });
    sources.disabled = await create(a, { name: 'off', signatureMode: 'standard' });
    await h.send({
      method: 'POST',
      url: `/ui/sources/${sources.disabled.id}/disable`,
      headers: { authorization: `Bearer ${await a.userToken()}` },
    });
    sources.foreign = await create(b, { name: 'b', signatureMode: 'hmac-sha256' });
  });
  afterAll(() => h?.close());

  it('verifies before it stores: any signature, timestamp and body, without 5xx', async () => {
    type Kind = keyof typeof sources;
    const signatureStyle = fc.constantFrom('correct', 'other-body', 'other-secret', 'stale', 'future', 'garbage', 'missing', 'many');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Kind | 'unknown'>('standard', 'hmac', 'none', 'disabled', 'foreign', 'unknown'),
        signatureStyle,
        fc.oneof({ weight: 3, arbitrary: hostileJson.map((value) => JSON.stringify(value) ?? 'null') }, hostileBodyText),
        fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, contentType),
        headerValue,
        fc.option(headerValue, { nil: undefined }),
        async (kind, style, body, type, deliveryId, eventHeader) => {
          const source = kind === 'unknown' ? { id: 'no-such-source', secret: 'x' } : sources[kind];
          const secret = style === 'other-secret' ? sources.foreign.secret! : (source.secret ?? 'whsec_AAAA');
          const signedBody = style === 'other-body' ? `${body} ` : body;
          const now = Math.floor(Date.now() / 1000);
          const timestamp = style === 'stale' ? now - 3600 : style === 'future' ? now + 3600 : now;
          const id = deliveryId || 'msg_1';
          const headers: Record<string, string> = { 'content-type': type };
          if (eventHeader !== undefined) headers['x-event-type'] = eventHeader;
          if (style !== 'missing') {
            if (kind === 'hmac' || kind === 'foreign' || (kind === 'unknown' && style === 'garbage')) {
              const mac = signHmacHex(secret, signedBody);
              headers['x-hub-signature-256'] =
                style === 'garbage' ? 'sha256=zz' : style === 'many' ? `sha256=${mac},sha256=${mac}` : `sha256=${mac}`;
              headers['x-signature-256'] = headers['x-hub-signature-256'];
            } else {
              const signature = signStandard(secret, id, timestamp, signedBody);
              headers['webhook-id'] = id;
              headers['webhook-timestamp'] = style === 'garbage' ? 'yesterday' : String(timestamp);
              headers['webhook-signature'] =
                style === 'garbage'
                  ? 'v1,!!!'
                  : style === 'many'
                    ? Array.from({ length: 50 }, () => 'v1,AAAA')
                        .concat(signature)
                        .join(' ')
                    : signature;
            }
          }
          const response = await h.attack({ method: 'POST', url: `/webhooks/custom/${source.id}`, headers, payload: body });
          // Only a correct signature (or an unsigned source) may be let in. HMAC carries no timestamp; Standard Webhooks may list several signatures.
          const isHmac = kind === 'hmac' || kind === 'foreign';
          const signedCorrectly =
            style === 'correct' || (isHmac && (style === 'stale' || style === 'future')) || (!isHmac && style === 'many');
          if (response.statusCode < 400)
            expect(kind === 'none' || (signedCorrectly && kind !== 'disabled' && kind !== 'unknown'), `${kind}/${style} was accepted`).toBe(
              true,
            );
        },
      ),
      fuzzSettings(RUNS.customSignatures + RUNS.customWebhook),
    );
    expect(h.stats.accepted).toBeGreaterThan(10);
  });

  it('answers any source id in the path without 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(nastyString, async (id) => {
        await h.attack(
          { method: 'POST', url: `/webhooks/custom/${pathSegment(id)}`, headers: { 'content-type': 'application/json' }, payload: '{}' },
          { allow2xx: false },
        );
      }),
      fuzzSettings(RUNS.uiQueries),
    );
  });
});
