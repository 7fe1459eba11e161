import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { problems } from '../server/problems.js';
import { NoContent } from '../server/problem-schema.js';
import { currentUser, requireAdmin } from '../lifecycle/user-auth.js';
import { CreateCredentialBody, CredentialViewSchema, HEADER_NAME_PATTERN, QUERY_NAME_PATTERN, ReplaceCredentialBody } from './model.js';
import type { CredentialKind, CredentialSecret } from './model.js';
import { CredentialNameTaken } from './store.js';
import type { CredentialStore } from './store.js';

const Params = Type.Object({ credentialId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) });
const One = Type.Object({ credential: CredentialViewSchema }, { additionalProperties: false });
const List = Type.Object({ credentials: Type.Array(CredentialViewSchema) }, { additionalProperties: false });

/** The secret a body gives for a kind, or a 400 naming what is missing. */
function secretFor(kind: CredentialKind, body: { value?: string; username?: string; password?: string }): CredentialSecret {
  if (kind === 'basic') {
    if (body.username === undefined || body.password === undefined)
      throw problems.badRequest('invalid-credential', 'Basic auth needs a username and a password.', [
        { field: 'body.password', message: 'username and password are required for kind basic' },
      ]);
    if (body.value !== undefined)
      throw problems.badRequest('invalid-credential', 'Basic auth takes a username and a password, not a value.', [
        { field: 'body.value', message: 'not used by kind basic' },
      ]);
    return { username: body.username, password: body.password };
  }
  if (body.value === undefined)
    throw problems.badRequest('invalid-credential', `A ${kind} credential needs a value.`, [
      { field: 'body.value', message: `required for kind ${kind}` },
    ]);
  if (body.username !== undefined || body.password !== undefined)
    throw problems.badRequest('invalid-credential', `A ${kind} credential takes a value only.`, [
      { field: 'body.username', message: `not used by kind ${kind}` },
    ]);
  return { value: body.value };
}

function fieldNameFor(kind: CredentialKind, fieldName: string | undefined): string | null {
  if (kind === 'header' || kind === 'query') {
    const pattern = new RegExp(kind === 'header' ? HEADER_NAME_PATTERN : QUERY_NAME_PATTERN);
    if (fieldName === undefined || !pattern.test(fieldName))
      throw problems.badRequest(
        'invalid-credential',
        `A ${kind} credential needs the ${kind === 'header' ? 'header' : 'query parameter'} name it goes into.`,
        [
          {
            field: 'body.fieldName',
            message: `a valid ${kind === 'header' ? 'header' : 'query parameter'} name is required for kind ${kind}`,
          },
        ],
      );
    if (
      kind === 'header' &&
      ['host', 'content-length', 'connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'keep-alive'].includes(
        fieldName.toLowerCase(),
      )
    ) {
      throw problems.badRequest('invalid-credential', `${fieldName} is set by the platform.`, [
        { field: 'body.fieldName', message: 'is set by the platform and cannot be chosen' },
      ]);
    }
    return fieldName;
  }
  if (fieldName !== undefined)
    throw problems.badRequest('invalid-credential', `A ${kind} credential always goes into the Authorization header.`, [
      { field: 'body.fieldName', message: `not used by kind ${kind}` },
    ]);
  return null;
}

/** Write-only credentials: the value goes in on create and replace, and never comes out again. */
export async function credentialRoutes(ui: FastifyInstance, { store }: { store: CredentialStore }) {
  const tags = ['credentials'];

  ui.get(
    '/ui/credentials',
    { schema: { tags, summary: 'Credentials of the workspace: name, kind and last change, never the value.', response: { 200: List } } },
    async (request) => {
      const user = currentUser(request);
      return { credentials: await store.list(user.workspaceId) };
    },
  );

  ui.post<{ Body: CreateCredentialBody }>(
    '/ui/credentials',
    {
      schema: {
        tags,
        summary: 'Store a credential (admins). The value is sealed and never shown again.',
        body: CreateCredentialBody,
        response: { 201: One },
      },
    },
    async (request, reply) => {
      const user = requireAdmin(request);
      const { name, kind } = request.body;
      const fieldName = fieldNameFor(kind, request.body.fieldName);
      const secret = secretFor(kind, request.body);
      try {
        return reply.code(201).send({ credential: await store.create(user.workspaceId, { name, kind, fieldName, secret }) });
      } catch (error) {
        if (error instanceof CredentialNameTaken)
          throw problems.conflict('credential-exists', `A credential named "${name}" already exists; replace its value instead.`);
        throw error;
      }
    },
  );

  ui.put<{ Params: Static<typeof Params>; Body: ReplaceCredentialBody }>(
    '/ui/credentials/:credentialId',
    {
      schema: {
        tags,
        summary: "Replace a credential's value (admins); its name and kind stay.",
        params: Params,
        body: ReplaceCredentialBody,
        response: { 200: One },
      },
    },
    async (request) => {
      const user = requireAdmin(request);
      const updated = await store.replace(user.workspaceId, request.params.credentialId, (kind) => secretFor(kind, request.body));
      if (!updated) throw problems.notFound('unknown-credential', 'No credential with this id in this workspace.');
      return { credential: updated };
    },
  );

  ui.delete<{ Params: Static<typeof Params> }>(
    '/ui/credentials/:credentialId',
    {
      schema: {
        tags,
        summary: 'Delete a credential (admins); flows naming it fail until it exists again.',
        params: Params,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      const user = requireAdmin(request);
      if (!(await store.remove(user.workspaceId, request.params.credentialId)))
        throw problems.notFound('unknown-credential', 'No credential with this id in this workspace.');
      return reply.code(204).send();
    },
  );
}
