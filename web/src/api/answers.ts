/**
 * Reading the generated OpenAPI types (generated/openapi.ts, written by `npm run api-types` from
 * the server's route schemas): what a route answers, and one member of a tagged union.
 */
import type { paths } from './generated/openapi';

type JsonOf<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;

/** The JSON `path` answers to `method` with `status` (200 unless given), exactly as the server declares it. */
export type Answer<Path extends keyof paths, Method extends keyof paths[Path], Status extends number = 200> = paths[Path][Method] extends {
  responses: infer Responses;
}
  ? Status extends keyof Responses
    ? JsonOf<Responses[Status]>
    : never
  : never;

/** The member of a union tagged by `kind` (a flow's trigger or action kinds). */
export type OfKind<Union, Kind extends string> = Extract<Union, { kind: Kind }>;
