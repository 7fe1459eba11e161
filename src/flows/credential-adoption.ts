/**
 * Turns literal secrets of a flow definition into credentials of its workspace (extract.ts), so the
 * stored flow holds references only: on every save, and at start-up for flows saved before.
 */
import type { Database, Db, Tx } from '../storage/database.js';
import { lockKey } from '../storage/database.js';
import type { Logger } from '../observability/logger.js';
import type { FlowDefinition } from './model.js';
import { parseJsonOr } from '../util/json.js';
import { extractSecrets } from './credential-extraction.js';
import type { ExtractedSecret } from './credential-extraction.js';
import { maskSecrets, secretForms } from '../credentials/redact.js';
import type { CredentialStore } from '../credentials/store.js';

/** Names for one workspace: the same value gets the same credential, a new value a free name. */
export class CredentialNamer {
  private readonly byValue = new Map<string, string>();
  constructor(private readonly taken: Set<string>) {}

  nameFor = (suggestion: string, value: string): string => {
    const known = this.byValue.get(value);
    if (known) return known;
    let name = suggestion;
    for (let n = 2; this.taken.has(name); n++) name = `${suggestion.slice(0, 56)}_${n}`;
    this.taken.add(name);
    this.byValue.set(value, name);
    return name;
  };
}

/** Creates the credentials a definition's literal secrets need and returns the definition referring to them. */
export async function adoptLiteralSecrets(
  store: CredentialStore,
  db: Db | Tx,
  workspaceId: string,
  definition: FlowDefinition,
  namer?: CredentialNamer,
): Promise<{ definition: FlowDefinition; extracted: ExtractedSecret[] }> {
  const names = namer ?? new CredentialNamer(await store.names(workspaceId, db));
  const result = extractSecrets(definition, names.nameFor);
  const existing = await store.names(workspaceId, db);
  for (const secret of result.extracted) {
    if (existing.has(secret.name)) continue;
    existing.add(secret.name);
    await store.create(
      workspaceId,
      { name: secret.name, kind: secret.kind, fieldName: secret.fieldName, secret: { value: secret.value } },
      db,
    );
  }
  return result;
}

/**
 * Start-up: every stored flow (current definition and every version) whose HTTP actions hold
 * literal secrets is rewritten to use credentials, and those secrets are masked in the flow's past
 * action records. One log line per secret names the flow and the field, never the value. Runs under
 * a lock, so instances starting together do it once.
 */
export async function adoptStoredSecrets(database: Database, store: CredentialStore, logger: Logger): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    await lockKey(trx, database.dialect, 'credentials:adopt-flow-secrets');
    const flows = await trx
      .selectFrom('flows')
      .select(['id', 'workspace_id', 'name', 'definition_json'])
      .where('definition_json', 'like', '%"http"%')
      .execute();
    const namers = new Map<string, CredentialNamer>();
    let adopted = 0;
    for (const flow of flows) {
      let namer = namers.get(flow.workspace_id);
      if (!namer) namers.set(flow.workspace_id, (namer = new CredentialNamer(await store.names(flow.workspace_id, trx))));
      const values: string[] = [];
      const definition = readDefinition(flow.definition_json);
      if (!definition) continue;
      const current = await adoptLiteralSecrets(store, trx, flow.workspace_id, definition, namer);
      if (current.extracted.length > 0) {
        await trx
          .updateTable('flows')
          .set({ definition_json: JSON.stringify(current.definition) })
          .where('id', '=', flow.id)
          .execute();
        for (const secret of current.extracted) {
          values.push(secret.value);
          logger.warn(
            { workspaceId: flow.workspace_id, flowId: flow.id, flow: flow.name, field: secret.field, credential: secret.name },
            'a secret written into a flow was moved into a credential',
          );
        }
      }
      const versions = await trx
        .selectFrom('flow_versions')
        .select(['version', 'definition_json'])
        .where('flow_id', '=', flow.id)
        .execute();
      for (const version of versions) {
        const stored = readDefinition(version.definition_json);
        if (!stored) continue;
        const old = await adoptLiteralSecrets(store, trx, flow.workspace_id, stored, namer);
        if (old.extracted.length === 0) continue;
        values.push(...old.extracted.map((secret) => secret.value));
        await trx
          .updateTable('flow_versions')
          .set({ definition_json: JSON.stringify(old.definition) })
          .where('flow_id', '=', flow.id)
          .where('version', '=', version.version)
          .execute();
      }
      if (values.length === 0) continue;
      adopted += new Set(values).size;
      await maskPastRecords(trx, flow.workspace_id, flow.id, secretForms(values));
    }
    return adopted;
  });
}

/** A stored definition, or undefined when it is not one (nothing to adopt from it; start-up goes on). */
function readDefinition(json: string): FlowDefinition | undefined {
  const value = parseJsonOr<unknown>(json, undefined);
  return value && typeof value === 'object' && Array.isArray((value as FlowDefinition).actions) ? (value as FlowDefinition) : undefined;
}

async function maskPastRecords(trx: Tx, workspaceId: string, flowId: string, secrets: string[]): Promise<void> {
  const runIds = trx.selectFrom('flow_runs').select('id').where('workspace_id', '=', workspaceId).where('flow_id', '=', flowId);
  const rows = await trx
    .selectFrom('flow_action_results')
    .select(['idempotency_key', 'request_json', 'response_json', 'input_json'])
    .where('workspace_id', '=', workspaceId)
    .where('run_id', 'in', runIds)
    .execute();
  for (const row of rows) {
    const request = row.request_json === null ? null : maskSecrets(row.request_json, secrets);
    const response = row.response_json === null ? null : maskSecrets(row.response_json, secrets);
    // An answer echoing a secret is also in the input of the later steps that read it.
    const input = row.input_json === null ? null : maskSecrets(row.input_json, secrets);
    if (request === row.request_json && response === row.response_json && input === row.input_json) continue;
    await trx
      .updateTable('flow_action_results')
      .set({ request_json: request, response_json: response, input_json: input })
      .where('idempotency_key', '=', row.idempotency_key)
      .execute();
  }
  const errors = await trx
    .selectFrom('flow_runs')
    .select(['id', 'error'])
    .where('workspace_id', '=', workspaceId)
    .where('flow_id', '=', flowId)
    .where('error', 'is not', null)
    .execute();
  for (const run of errors) {
    const masked = maskSecrets(run.error!, secrets);
    if (masked !== run.error) await trx.updateTable('flow_runs').set({ error: masked }).where('id', '=', run.id).execute();
  }
}
