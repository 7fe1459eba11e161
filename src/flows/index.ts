import { scheduleRoutes } from './schedule-routes.js';
import { WorkspaceTimeZones } from './workspace-time-zone.js';
import type { Dispatcher } from 'undici';
import { CredentialStore } from '../credentials/store.js';
import { CONSUMER_ORDER } from '../ingest/consumers.js';
import { createGuardedDispatcher } from '../net/ssrf.js';
import type { Room } from '../room.js';
import type { Runtime } from '../runtime.js';
import { parseJsonOr } from '../util/json.js';
import { flowsConsumer } from './consumer.js';
import { FlowExecutor } from './executor.js';
import { createFlowMetrics } from './metrics.js';
import { JOB_REPLAY_RUN, flowRoutes } from './routes.js';
import { FlowStore } from './store.js';
import { templateFunctionRoutes } from './function-routes.js';
import { JOB_MANUAL_RUN, manualRunJob } from './manual-runs.js';
import { flowRunRoutes } from './run-routes.js';
import { JOB_SCHEDULED_RUN, ScheduleTicker, scheduledEvent, scheduledRunJob } from './schedule-ticker.js';

/** No-code flows: run on every stored event, replayed on request, managed from the sidebar. */
export function flowsRoom(runtime: Runtime): Room {
  const store = new FlowStore(runtime.database, runtime.now);
  let dispatcher: Dispatcher | undefined;
  const credentials = new CredentialStore(runtime.database, runtime.box, runtime.now);
  const executor = new FlowExecutor(runtime, store, () => (dispatcher ??= createGuardedDispatcher({ allowlist: runtime.config.outboundAllowlist })), createFlowMetrics(runtime.metrics.registry), credentials);
  runtime.onClose(async () => {
    await dispatcher?.close();
  });
  runtime.addConsumer(flowsConsumer(store, executor), CONSUMER_ORDER.flows);
  runtime.registerJob(JOB_REPLAY_RUN, async (job, { signal }) => {
    const { runId } = job.payload as { runId: string };
    const original = await store.getRun(job.workspaceId, runId);
    if (!original?.run.eventId) return;
    const definition = await store.version(original.run.flowId, original.run.flowVersion);
    if (!definition) return;
    const flow = { id: original.run.flowId, version: original.run.flowVersion, definition, workspaceId: job.workspaceId };
    // A scheduled run's event is not stored: it is rebuilt from the run's event id.
    if (definition.trigger.kind === 'schedule') {
      const scheduled = scheduledEvent(definition, job.workspaceId, original.run.eventId, runtime.now());
      if (scheduled) await executor.run(flow, scheduled, { signal, replayOf: runId });
      return;
    }
    const event = await runtime.database.db.selectFrom('webhook_events').selectAll().where('workspace_id', '=', job.workspaceId).where('id', '=', original.run.eventId).executeTakeFirst();
    if (!event) return;
    await executor.run(
      flow,
      { id: event.id, workspaceId: event.workspace_id, source: event.source, eventType: event.event_type, payload: parseJsonOr(event.payload_json, null), receivedAt: Number(event.received_at) },
      { signal, replayOf: runId },
    );
  });
  runtime.registerJob(JOB_MANUAL_RUN, manualRunJob(runtime, store, executor));
  runtime.registerJob(JOB_SCHEDULED_RUN, scheduledRunJob(runtime, store, executor));
  const ticker = new ScheduleTicker(runtime);
  ticker.start();
  runtime.onClose(() => ticker.stop());
  return {
    name: 'flows',
    uiRoutes: async (ui) => {
      const timeZones = new WorkspaceTimeZones(runtime);
      await ui.register(flowRoutes, { runtime, store, executor, credentials, timeZones });
      await ui.register(scheduleRoutes, { timeZones, now: () => runtime.now() });
      await ui.register(templateFunctionRoutes);
      await ui.register(flowRunRoutes, { runtime, store });
    },
  };
}

export { FlowStore } from './store.js';
export { FlowExecutor } from './executor.js';
