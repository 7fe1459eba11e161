import { adoptLiteralSecrets } from './credential-adoption.js';
import type { CredentialStore } from '../credentials/store.js';
import type { Runtime } from '../runtime.js';
import { problems } from '../server/problems.js';
import type { FlowDefinition } from './model.js';
import { validateFlowDefinition } from './validate.js';

/**
 * What every route that saves a definition (create, edit, restore, duplicate, import) checks and
 * does first, shared so none of them can save a flow the editor would refuse.
 */
export function definitionChecks(runtime: Runtime, credentials: CredentialStore) {
  /** The definition checked against this edition and workspace: a 400 naming each bad field. */
  const validate = async (workspaceId: string, input: unknown): Promise<FlowDefinition> => {
    const settings = await runtime.settingsOf(workspaceId);
    const sources = runtime.edition.capabilities.customWebhooks
      ? (await runtime.database.db.selectFrom('custom_sources').select('id').where('workspace_id', '=', workspaceId).execute()).map(
          (row) => row.id,
        )
      : undefined;
    const result = validateFlowDefinition(input, {
      allowedEvents: runtime.edition.events,
      httpActionsEnabled: runtime.edition.capabilities.httpActions && settings.enable_http_actions === true,
      ...(sources ? { customSourceIds: sources } : {}),
      catalog: runtime.catalog,
      ...(runtime.edition.capabilities.httpActions ? { credentialNames: await credentials.names(workspaceId) } : {}),
    });
    if (!result.ok)
      throw problems.badRequest(
        'invalid-flow',
        'The flow is invalid: ' +
          result.problems
            .slice(0, 5)
            .map((p) => `${p.field} ${p.message}`)
            .join('; '),
        result.problems.map((p) => ({ field: `definition.${p.field}`.replace(/\.$/, ''), message: p.message })),
      );
    return result.flow;
  };
  /** What is saved: secrets written into HTTP actions become credentials, so no flow holds one (GET shows names only). */
  const withoutLiteralSecrets = async (workspaceId: string, definition: FlowDefinition): Promise<FlowDefinition> => {
    if (!runtime.edition.capabilities.httpActions) return definition;
    const adopted = await adoptLiteralSecrets(credentials, runtime.database.db, workspaceId, definition);
    for (const secret of adopted.extracted)
      runtime.logger.info(
        { workspaceId, field: secret.field, credential: secret.name },
        'a secret written into a flow was saved as a credential',
      );
    return adopted.definition;
  };
  return { validate, withoutLiteralSecrets };
}
