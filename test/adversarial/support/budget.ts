/**
 * The fuzzing budget: one fixed seed and a bounded number of runs per boundary, so the suite is
 * repeatable in CI and stays fast. docs/security.md quotes these numbers; change both together.
 */
export const FUZZ_SEED = 20_251_122;

export const RUNS = {
  lifecycle: 150,
  lifecycleHeaders: 60,
  clockifyWebhookBody: 150,
  clockifyWebhookHeaders: 100,
  customWebhook: 120,
  customSignatures: 100,
  explorerExecute: 150,
  explorerOther: 60,
  flowDefinitions: 150,
  flowTests: 100,
  templatesAndPaths: 120,
  uiQueries: 60,
  uiRoutes: 250,
} as const;

export const fuzzSettings = (numRuns: number) => ({ seed: FUZZ_SEED, numRuns, endOnFailure: true });
