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

export async function startSidebarStack(editionId: EditionId, env: Record<string, string> = {}): Promise<SidebarStack> {
  const stack = await startStack({ editions: [editionId], env });
  try {
    const edition = stack.edition(editionId);
    const page = await fetch(`${edition.url}/sidebar`);
    if (page.status === 404) throw new Error('The edition does not serve /sidebar: add webUiRoom(runtime) to createRooms in src/rooms.ts.');
    if (page.status !== 200) throw new Error(`/sidebar answered ${page.status}: ${await page.text()}`);
    const { workspaceId } = await stack.install(editionId);
    return {
      stack,
      editionId,
      url: edition.url,
      workspaceId,
      token: (role = 'OWNER', options = {}) => stack.sandbox.userToken({ addonKey: edition.runtime.editionConfig.key, role, workspaceId, ...options }),
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
