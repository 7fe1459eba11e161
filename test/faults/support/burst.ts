/**
 * Clockify's side of a fault test: a steady webhook burst (several senders, one delivery after the
 * other each), every delivery remembered with the answer it got, and what was stored, read back.
 */
import type { Database } from '../../../src/storage/database.js';
import { deliverWebhook as deliver } from '../../production/support/instances.js';

export { deliver };

export interface Burst {
  /** Delivery id → HTTP status (0: no answer). */
  answers: Map<string, number>;
  /** Answers of 503, with their Retry-After header present. */
  unavailable: { retryAfter: boolean; type: string }[];
  stop(): Promise<void>;
}

export function project(workspaceId: string, id: string) {
  return { id, name: `Project ${id}`, workspaceId, archived: false, billable: false };
}

export function startBurst(input: {
  url: string;
  token: string;
  workspaceId: string;
  senders?: number;
  pauseMs?: number;
  prefix?: string;
}): Burst {
  const answers = new Map<string, number>();
  const unavailable: Burst['unavailable'] = [];
  let sending = true;
  const sender = async (lane: number) => {
    for (let index = 0; sending; index += 1) {
      const id = `${input.prefix ?? ''}${lane}-${index}`;
      const answer = await deliver(input.url, 'NEW_PROJECT', input.token, project(input.workspaceId, id));
      answers.set(id, answer.status);
      if (answer.status === 503)
        unavailable.push({
          retryAfter: answer.retryAfter !== undefined,
          type: String((answer.body as { type?: string } | undefined)?.type ?? ''),
        });
      await new Promise((resolve) => setTimeout(resolve, input.pauseMs ?? 30));
    }
  };
  const running = Promise.all(Array.from({ length: input.senders ?? 3 }, (_, lane) => sender(lane)));
  return {
    answers,
    unavailable,
    stop: async () => {
      sending = false;
      await running;
    },
  };
}

/** Ids of the projects stored as NEW_PROJECT events of the workspace. */
export async function storedProjectIds(database: Database, workspaceId: string): Promise<Set<string>> {
  const rows = await database.db
    .selectFrom('webhook_events')
    .select('payload_json')
    .where('workspace_id', '=', workspaceId)
    .where('event_type', '=', 'NEW_PROJECT')
    .execute();
  return new Set(rows.map((row) => (JSON.parse(row.payload_json) as { id: string }).id));
}

/** Acknowledged (200) deliveries that are not stored: must always be empty. */
export function lostAcknowledged(answers: Map<string, number>, stored: Set<string>): string[] {
  return [...answers].filter(([id, status]) => status === 200 && !stored.has(id)).map(([id]) => id);
}
