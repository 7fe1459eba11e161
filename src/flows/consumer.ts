import type { EventConsumer } from '../events/consumers.js';
import type { FlowExecutor, RunSummary } from './executor.js';
import { triggeredBy } from './store.js';
import type { FlowStore } from './store.js';

/** Runs every enabled flow whose trigger is the event, in the order the flows were created. */
export function flowsConsumer(store: FlowStore, executor: FlowExecutor): EventConsumer {
  return {
    name: 'flows',
    async actsOn({ workspaceId, source, eventType }, { once }) {
      const enabled = await once(`flows:${workspaceId}`, () => store.enabled(workspaceId));
      return enabled.some((flow) => triggeredBy(flow, source, eventType));
    },
    async consume(event, { signal, once }) {
      const enabled = await once(`flows:${event.workspaceId}`, () => store.enabled(event.workspaceId));
      const flows = enabled.filter((flow) => triggeredBy(flow, event.source, event.eventType));
      const runs: RunSummary[] = [];
      for (const flow of flows) runs.push(await executor.run(flow, event, { signal }));
      return { runs };
    },
  };
}
