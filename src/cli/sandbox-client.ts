import { UserError } from './output.js';

/** Talks to a running sandbox the way the Clockify UI would: its `/__sandbox` control routes and, with a user token, its REST API. */
export class SandboxClient {
  constructor(readonly url: string) {}

  private unreachable(): UserError {
    return new UserError(
      `no sandbox answers at ${this.url}; start one with "npm run cli -- demo" (or "npm run cli -- sandbox"), or pass --sandbox URL`,
    );
  }

  async control<T = unknown>(path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(
        `${this.url}/__sandbox/${path}`,
        body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      );
    } catch {
      throw this.unreachable();
    }
    return this.read<T>(response);
  }

  /** A REST call as the user of `token` (user tokens may call the API while the add-on is installed). */
  async api<T = unknown>(token: string, path: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.url}/api${path}`, { headers: { 'x-addon-token': token } });
    } catch {
      throw this.unreachable();
    }
    return this.read<T>(response);
  }

  private async read<T>(response: Response): Promise<T> {
    const text = await response.text();
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = { message: text.slice(0, 200) };
    }
    if (!response.ok)
      throw new UserError(`the sandbox refused: ${(data as { message?: string } | null)?.message ?? `HTTP ${response.status}`}`);
    return data as T;
  }
}

export interface SandboxInfo {
  url: string;
  workspaces: { id: string; name: string; ownerId: string; userIds: string[] }[];
  installations: {
    addonId: string;
    addonKey: string;
    workspaceId: string;
    baseUrl: string;
    status: string;
    webhooks: { event: string; url: string }[];
  }[];
}
