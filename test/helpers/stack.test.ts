import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack } from './stack.js';
import type { Stack } from './stack.js';

describe('the test stack (sandbox + edition over HTTP)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ editions: ['universal-webhook'] });
  });
  afterAll(() => stack?.close());

  it('installs an edition, receives a webhook from the sandbox and shows it to the sidebar', async () => {
    const { workspaceId } = await stack.install('universal-webhook');
    await stack.sandbox.trigger('NEW_TIME_ENTRY', { workspaceId });
    const listed = await eventually(async () => {
      const response = await stack.ui('universal-webhook', '/ui/webhooks/events');
      return response.body.events?.length > 0 ? response.body.events : undefined;
    });
    expect(listed[0]).toMatchObject({ eventType: 'NEW_TIME_ENTRY', workspaceId });
  });
});
