/**
 * Credentials: named secrets of a workspace that HTTP actions use without holding them. A credential
 * has a kind (where its value goes), a name flows refer to (`{{ credentials.crm }}` or the action's
 * `credential` field), and a value that is sealed at rest and never leaves through the API again.
 */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';

export const CREDENTIAL_KINDS = ['header', 'bearer', 'basic', 'query'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** A template identifier, so `{{ credentials.<name> }}` can reach it. */
export const CREDENTIAL_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_]{0,59}$';
export const HEADER_NAME_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$";
export const QUERY_NAME_PATTERN = '^[A-Za-z0-9_.~-]{1,100}$';

/** What a credential says about itself: everything but its value. */
export interface CredentialView {
  id: string;
  name: string;
  kind: CredentialKind;
  /** The header (header kind) or query parameter (query kind) the value goes into. */
  fieldName: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The secret part, sealed as one JSON document. */
export type CredentialSecret = { value: string } | { username: string; password: string };

/** A credential opened for one action run. */
export interface ResolvedCredential {
  name: string;
  kind: CredentialKind;
  fieldName: string | null;
  secret: CredentialSecret;
}

const Value = Type.String({ minLength: 1, maxLength: 4096, pattern: '^[^\\r\\n\\u0000]*$' });

export const CreateCredentialBody = Type.Object(
  {
    name: Type.String({
      pattern: CREDENTIAL_NAME_PATTERN,
      description: 'Letters, digits and _, starting with a letter; flows use it as {{ credentials.<name> }}',
    }),
    kind: Type.Union(CREDENTIAL_KINDS.map((kind) => Type.Literal(kind))),
    fieldName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'header: the header name; query: the query parameter name' }),
    ),
    value: Type.Optional(Value),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[^:\\r\\n\\u0000]*$' })),
    password: Type.Optional(Value),
  },
  { additionalProperties: false },
);
export type CreateCredentialBody = Static<typeof CreateCredentialBody>;

export const ReplaceCredentialBody = Type.Object(
  {
    value: Type.Optional(Value),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[^:\\r\\n\\u0000]*$' })),
    password: Type.Optional(Value),
  },
  { additionalProperties: false },
);
export type ReplaceCredentialBody = Static<typeof ReplaceCredentialBody>;

export const CredentialViewSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    kind: Type.Union(CREDENTIAL_KINDS.map((kind) => Type.Literal(kind))),
    fieldName: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.Number(),
    updatedAt: Type.Number(),
  },
  { additionalProperties: false, $id: 'Credential' },
);
