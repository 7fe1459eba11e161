import type { FastifyInstance, RouteOptions } from 'fastify';
import type { AppConfig } from './config/index.js';
import type { EditionId } from './editions/types.js';
import { Worker } from './jobs/worker.js';
import type { Logger } from './observability/logger.js';
import { createRuntime } from './runtime.js';
import type { Runtime } from './runtime.js';
import { createHttpServer } from './server/app.js';
import { registerDocs } from './server/docs.js';
import { opsRoutes } from './server/ops-routes.js';
import { registerRooms } from './rooms.js';

export interface RunningEdition {
  runtime: Runtime;
  app: FastifyInstance;
  worker: Worker;
  /** Where it listens, e.g. http://127.0.0.1:8000. */
  url: string;
  stop(): Promise<void>;
}

export interface StartEditionOptions {
  logger: Logger;
  /** Override the configured port (0 = any free port). */
  port?: number;
  host?: string;
  /** Start the job worker (default true). */
  worker?: boolean;
  now?: () => number;
}

/** Builds one edition — storage, rooms, HTTP server and worker — and starts listening. */
export async function startEdition(editionId: EditionId, config: AppConfig, options: StartEditionOptions): Promise<RunningEdition> {
  const runtime = await createRuntime(editionId, config, { logger: options.logger, now: options.now });
  try {
    const app = await buildEditionApp(runtime);
    const worker = new Worker(runtime.queue, runtime.jobHandlers, {
      concurrency: options.worker === false ? 0 : config.jobs.concurrency,
      leaseMs: config.jobs.leaseSeconds * 1000,
      logger: runtime.logger.child({ component: 'worker' }),
      onJobFinished: (job, outcome, durationMs) => {
        runtime.metrics.jobs.inc({ kind: job.kind, outcome });
        runtime.metrics.jobDuration.observe({ kind: job.kind }, durationMs / 1000);
      },
    });
    const address = await app.listen({ port: options.port ?? runtime.editionConfig.port, host: options.host ?? config.host });
    worker.start();
    const url = address.replace('[::]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1');
    runtime.logger.info(
      { url, database: runtime.database.description, baseUrl: runtime.editionConfig.baseUrl },
      `${runtime.edition.name} is listening`,
    );

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        const deadline = config.shutdownTimeoutMs;
        // Stop accepting first; in-flight requests finish (Fastify waits for them), then jobs get the rest of the deadline.
        await Promise.all([app.close(), worker.stop(deadline)]);
        await runtime.close();
      })();
      return stopping;
    };
    return { runtime, app, worker, url, stop };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

/** The HTTP app of an edition without listening (tests use `app.inject`); `onRoute` sees every route as it is added. */
export async function buildEditionApp(
  runtime: Runtime,
  options: { onRoute?: (route: RouteOptions) => void } = {},
): Promise<FastifyInstance> {
  const app = createHttpServer(runtime);
  const { onRoute } = options;
  if (onRoute) app.addHook('onRoute', (route) => onRoute(route));
  await registerDocs(app, runtime);
  await app.register(opsRoutes, { runtime });
  await registerRooms(app, runtime);
  await app.ready();
  return app;
}
