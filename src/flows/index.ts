import type { Dispatcher } from 'undici';
import { CredentialStore } from '../credentials/store.js';
import { CONSUMER_ORDER } from '../events/consumers.js';
import { createGuardedDispatcher } from '../net/ssrf.js';
import { defineRoom } from '../room.js';
import { flowsConsumer } from './consumer.js';
import { adoptStoredSecrets } from './credential-adoption.js';
import { FlowExecutor, JOB_RESUME_WAIT, type ResumePayload } from './executor.js';
import { createFlowMetrics } from './metrics.js';
import { flowSchedules } from './migrations/007-flow-schedules.js';
import { flowSteps } from './migrations/008-flow-steps.js';
import { flowStepInput } from './migrations/009-flow-step-input.js';
import { flowRoutes } from './routes.js';
import { scheduleRoutes } from './schedule-routes.js';
import { WorkspaceTimeZones } from './workspace-time-zone.js';
import { inspectorRoutes } from './inspector-routes.js';
import { versionRoutes } from './version-routes.js';
import { stepTestRoutes } from './step-test-routes.js';
import { FlowStore } from './store.js';
import { templateFunctionRoutes } from './function-routes.js';
import { JOB_MANUAL_RUN, manualRunJob } from './manual-runs.js';
import { JOB_REPLAY_RUN, replayRunJob } from './replay-job.js';
import { flowRunRoutes } from './run-routes.js';
import { JOB_SCHEDULED_RUN, ScheduleTicker, scheduledRunJob } from './schedule-ticker.js';
import { FLOWS_TABLES } from './tables.js';

/** No-code flows: run on every stored event, on a schedule, resumed after a wait, replayed on request, managed from the sidebar. */
export const flowsRoom = defineRoom({
  name: 'flows',
  tables: FLOWS_TABLES,
  migrations: [flowSchedules, flowSteps, flowStepInput],
  setup: (runtime) => {
    const store = new FlowStore(runtime.database, runtime.now);
    let dispatcher: Dispatcher | undefined;
    const credentials = new CredentialStore(runtime.database, runtime.box, runtime.now);
    const executor = new FlowExecutor(
      runtime,
      store,
      () => (dispatcher ??= createGuardedDispatcher({ allowlist: runtime.config.outboundAllowlist })),
      createFlowMetrics(runtime.metrics.registry),
      credentials,
    );
    const ticker = new ScheduleTicker(runtime);
    return {
      jobs: {
        [JOB_REPLAY_RUN]: replayRunJob(runtime, store, executor),
        [JOB_MANUAL_RUN]: manualRunJob(runtime, store, executor),
        [JOB_SCHEDULED_RUN]: scheduledRunJob(runtime, store, executor),
        // A run a wait step parked: due at its resume time, taken by any instance, after any restart.
        [JOB_RESUME_WAIT]: async (job, { signal }) => {
          const payload = job.payload as ResumePayload;
          const definition = await store.version(payload.flowId, payload.version);
          if (!definition) return;
          const flow = { id: payload.flowId, version: payload.version, definition, workspaceId: job.workspaceId };
          await executor.run(flow, payload.event, {
            signal,
            resume: {
              runId: payload.runId,
              replay: payload.replay,
              ...(payload.waitPath !== undefined ? { waitPath: payload.waitPath } : {}),
            },
          });
        },
      },
      consumers: [{ ...flowsConsumer(store, executor), order: CONSUMER_ORDER.flows }],
      start: async () => {
        // Before serving: flows saved with secrets written into their headers or URL move onto credentials.
        if (runtime.edition.capabilities.httpActions) {
          const adopted = await adoptStoredSecrets(runtime.database, credentials, runtime.logger.child({ component: 'credentials' }));
          if (adopted > 0)
            runtime.logger.warn({ adopted }, 'secrets found in stored flows now live in credentials; the flows refer to them by name');
        }
        ticker.start();
      },
      stop: async () => {
        ticker.stop();
        await dispatcher?.close();
      },
      uiRoutes: async (ui) => {
        const timeZones = new WorkspaceTimeZones(runtime);
        await ui.register(flowRoutes, { runtime, store, executor, credentials, timeZones });
        await ui.register(scheduleRoutes, { timeZones, now: () => runtime.now() });
        await ui.register(templateFunctionRoutes);
        await ui.register(flowRunRoutes, { runtime, store });
        await ui.register(inspectorRoutes, { runtime, store });
        await ui.register(versionRoutes, { runtime, store, credentials });
        await ui.register(stepTestRoutes, { runtime, store, executor, credentials });
      },
    };
  },
});

export { FlowStore } from './store.js';
export { FlowExecutor } from './executor.js';
