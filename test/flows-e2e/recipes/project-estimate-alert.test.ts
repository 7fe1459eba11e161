/**
 * Recipe (docs/flows.md, gallery "project-estimate-alert"): a project created with an estimate over
 * 100 hours is POSTed to a URL with its client and estimate; smaller and unestimated projects are not.
 * SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/stack.js';
import type { Stack } from '../../helpers/stack.js';
import { clockify, flowFromTemplate, runsOf, startRecipe } from '../flow-helpers.js';
import type { Receiver, RecipeSetup } from '../flow-helpers.js';

const UW = 'universal-webhook' as const;

describe('recipe: project created over an estimate → notify', () => {
  let stack: Stack;
  let receiver: Receiver;
  let setup: RecipeSetup | undefined;
  beforeAll(async () => {
    setup = await startRecipe({ event: 'NEW_PROJECT' });
    ({ stack, receiver } = setup);
  }, 60_000);
  afterAll(() => setup?.close());

  it('announces the 150-hour project only', async () => {
    const flow = await flowFromTemplate(stack, UW, 'project-estimate-alert', { hours: '100', url: `${receiver.url}/projects` });
    const client = await clockify(stack, UW, 'createClient', {}, { name: 'Initech' });
    const big = await clockify(
      stack,
      UW,
      'createNewProject',
      {},
      { name: 'Migration', clientId: client.id, estimate: { estimate: 'PT150H', type: 'MANUAL' } },
    );
    await clockify(stack, UW, 'createNewProject', {}, { name: 'Small fix', estimate: { estimate: 'PT20H', type: 'MANUAL' } });
    await clockify(stack, UW, 'createNewProject', {}, { name: 'No estimate' });
    const runs = await eventually(async () => {
      const all = await runsOf(stack, UW, flow.id);
      return all.length === 3 && all.every((run) => run.status !== 'running') ? all : undefined;
    });
    expect(runs.filter((run) => run.matched).map((run) => run.status)).toEqual(['succeeded']);
    expect(receiver.requests).toHaveLength(1);
    expect(JSON.parse(receiver.requests[0]!.body)).toEqual({
      text: 'New project "Migration" (Initech) is estimated at 150 h, over 100 h.',
      projectId: big.id,
      name: 'Migration',
      clientName: 'Initech',
      estimateHours: 150,
      limitHours: 100,
    });
  }, 120_000);
});
