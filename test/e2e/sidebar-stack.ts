/**
 * One edition wired to the sandbox and installed, ready for the browser: the stack helper of
 * test/helpers plus a check that the edition actually serves the sidebar page.
 */
import type { EditionId } from '../../src/editions/types.js';
import { startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';

export interface SidebarStack {
  stack: Stack;
  editionId: EditionId;
  url: string;
  workspaceId: string;
  token(role?: 'OWNER' | 'ADMIN' | 'REGULAR', options?: { theme?: 'DEFAULT' | 'DARK'; expiresInSeconds?: number }): Promise<string>;
  /** Change the workspace's add-on settings as Clockify's settings screen would (SETTINGS_UPDATED). */
  settings(values: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function startSidebarStack(
  editionId: EditionId,
  env: Record<string, string> = {},
  seed?: { users: number; projects: number; timeEntries: number },
): Promise<SidebarStack> {
  const stack = await startStack({ editions: [editionId], env, ...(seed ? { sandbox: { seed } } : {}) });
  try {
    const edition = stack.edition(editionId);
    const page = await fetch(`${edition.url}/sidebar`);
    if (page.status === 404) throw new Error('The edition does not serve /sidebar: add webUiRoom to ROOMS in src/rooms.ts.');
    if (page.status !== 200) throw new Error(`/sidebar answered ${page.status}: ${await page.text()}`);
    const { workspaceId } = await stack.install(editionId);
    return {
      stack,
      editionId,
      url: edition.url,
      workspaceId,
      token: (role = 'OWNER', options = {}) =>
        stack.sandbox.userToken({ addonKey: edition.runtime.editionConfig.key, role, workspaceId, ...options }),
      settings: async (values) => {
        await stack.sandbox.updateSettings({ addonKey: edition.runtime.editionConfig.key, workspaceId, values });
      },
      close: () => stack.close(),
    };
  } catch (error) {
    await stack.close();
    throw error;
  }
}

/** Waits until the snapshot the install started has cached `projects` projects (names then resolve). */
export async function waitForNames(sidebarStack: SidebarStack, projects = 40, timeoutMs = 60_000): Promise<void> {
  const token = await sidebarStack.token('OWNER');
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    const response = await fetch(`${sidebarStack.url}/ui/names`, { headers: { authorization: `Bearer ${token}` } });
    if (response.ok) seen = ((await response.json()) as { projects: unknown[] }).projects.length;
    if (seen >= projects) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`The snapshot cached ${seen} of ${projects} projects within ${timeoutMs} ms.`);
}
