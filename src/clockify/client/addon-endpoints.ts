import type { BuiltRequest } from '../catalog/types.js';

/**
 * Add-on endpoints that are not in the OpenAPI spec (PLATFORM.md §5.5), as requests for `client.call`
 * or `client.request`. All of them take `X-Addon-Token`, which the client adds.
 */
function base(backendUrl: string): string {
  return backendUrl.replace(/\/+$/, '');
}

/** `GET {backendUrl}/addon/workspaces/{ws}/settings`: the structured settings tree. */
export function getAddonSettingsRequest(backendUrl: string, workspaceId: string): BuiltRequest {
  return {
    method: 'GET',
    url: `${base(backendUrl)}/addon/workspaces/${encodeURIComponent(workspaceId)}/settings`,
    query: {},
    headers: { accept: 'application/json' },
  };
}

/** `PATCH {backendUrl}/addon/workspaces/{ws}/settings` with `[{ id, value }]`. */
export function updateAddonSettingsRequest(
  backendUrl: string,
  workspaceId: string,
  values: { id: string; value: unknown }[],
): BuiltRequest {
  return {
    method: 'PATCH',
    url: `${base(backendUrl)}/addon/workspaces/${encodeURIComponent(workspaceId)}/settings`,
    query: {},
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: values,
  };
}

/** `POST {backendUrl}/addon/user/{userId}/token`: exchange the installation token for a user's token. */
export function userTokenRequest(backendUrl: string, userId: string): BuiltRequest {
  return {
    method: 'POST',
    url: `${base(backendUrl)}/addon/user/${encodeURIComponent(userId)}/token`,
    query: {},
    headers: { accept: 'application/json' },
  };
}
