import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '../src/index.js';

/** A request the fake add-on received from the sandbox. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A tiny add-on stand-in: records every call and answers with `status(path)` (default 200). */
export interface Receiver {
  baseUrl: string;
  received: Received[];
  status: (path: string) => number;
  close(): Promise<void>;
}

export async function startReceiver(status: (path: string) => number = () => 200): Promise<Receiver> {
  const receiver: Receiver = { baseUrl: '', received: [], status, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '/';
      receiver.received.push({ method: req.method ?? '', path, headers: req.headers, body: raw ? JSON.parse(raw) : undefined });
      res.writeHead(receiver.status(path), { 'content-type': 'application/json' });
      res.end(JSON.stringify({ received: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}

export function manifestFor(receiver: Receiver, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: '1.3',
    key: 'test-addon',
    name: 'Test Add-on',
    baseUrl: receiver.baseUrl,
    minimalSubscriptionPlan: 'FREE',
    scopes: ['PROJECT_READ', 'PROJECT_WRITE', 'TIME_ENTRY_READ', 'TIME_ENTRY_WRITE'],
    lifecycle: [
      { type: 'INSTALLED', path: '/lifecycle/installed' },
      { type: 'DELETED', path: '/lifecycle/deleted' },
      { type: 'SETTINGS_UPDATED', path: '/lifecycle/settings' },
      { type: 'STATUS_CHANGED', path: '/lifecycle/status' },
    ],
    webhooks: [
      { event: 'NEW_PROJECT', path: '/webhooks/new-project' },
      { event: 'NEW_TIME_ENTRY', path: '/webhooks/new-time-entry' },
    ],
    settings: {
      tabs: [
        {
          id: 'general',
          name: 'General',
          settings: [
            { id: 'greeting', name: 'Greeting', type: 'TXT', accessLevel: 'ADMINS', value: 'Hello' },
            { id: 'enabled', name: 'Enabled', type: 'CHECKBOX', accessLevel: 'ADMINS', value: true },
          ],
        },
      ],
    },
    ...overrides,
  };
}

/** The INSTALLED body the receiver got for the latest installation. */
export function installedBody(receiver: Receiver): {
  addonId: string;
  authToken: string;
  workspaceId: string;
  asUser: string;
  apiUrl: string;
  addonUserId: string;
  webhooks: Array<{ path: string; webhookType: string; authToken: string }>;
} {
  const installs = receiver.received.filter((r) => r.path === '/lifecycle/installed');
  const last = installs[installs.length - 1];
  if (!last) throw new Error('no INSTALLED call received');
  return last.body as ReturnType<typeof installedBody>;
}

/** Calls the sandbox's REST API like an add-on. */
export function api(sandbox: Sandbox, token: string | undefined) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    base: 'backend' | 'reports' | 'auditlog' = 'backend',
  ): Promise<{ status: number; headers: Headers; json: any; text: string }> => {
    const root = base === 'backend' ? sandbox.backendUrl : base === 'reports' ? sandbox.reportsUrl : sandbox.auditLogUrl;
    const headers: Record<string, string> = {};
    if (token !== undefined) headers['x-addon-token'] = token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(root + path, {
      method,
      headers,
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json, text };
  };
}

/**
 * A key directory for one test file: every sandbox of the file loads the same key pair instead of
 * generating a new RSA key per start (which dominates start-up time).
 */
export function keysDirForFile(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-test-keys-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
