/**
 * Which rows each workspace keeps: pure arithmetic over settings, no I/O, so the rules are tested
 * without a database. The sweeper turns the groups into bounded DELETE statements.
 */

export const DAY_MS = 86_400_000;

/** Workspaces that share one retention period, and the instant before which their history goes. */
export interface RetentionGroup {
  days: number;
  cutoff: number;
  workspaceIds: string[];
}

export interface RetentionPlan {
  /** One group per distinct period among the installed workspaces. */
  groups: RetentionGroup[];
  /** For rows of workspaces that have no installation row any more (orphans): the default period. */
  orphanCutoff: number;
}

/**
 * A usable number of days or undefined. Settings arrive as JSON from Clockify: a value that is not a
 * positive finite number (a corrupted row, a hand edit) must never turn into "delete everything".
 */
export function retentionDaysOf(value: unknown): number | undefined {
  const days = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof days === 'number' && Number.isFinite(days) && days >= 1 ? days : undefined;
}

export function cutoffFor(now: number, days: number): number {
  return now - Math.round(days * DAY_MS);
}

/** Groups workspaces by their retention period (their own setting, else the edition's default). */
export function planRetention(now: number, defaultDays: number, workspaces: { workspaceId: string; days?: number }[]): RetentionPlan {
  const fallback = retentionDaysOf(defaultDays) ?? 30;
  const byDays = new Map<number, string[]>();
  for (const workspace of workspaces) {
    const days = retentionDaysOf(workspace.days) ?? fallback;
    const list = byDays.get(days) ?? [];
    list.push(workspace.workspaceId);
    byDays.set(days, list);
  }
  const groups = [...byDays.entries()]
    .sort(([a], [b]) => a - b)
    .map(([days, workspaceIds]) => ({ days, cutoff: cutoffFor(now, days), workspaceIds }));
  return { groups, orphanCutoff: cutoffFor(now, fallback) };
}

/** Splits a list into pieces of at most `size`, so IN (...) lists stay far below every dialect's parameter limit. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const pieces: T[][] = [];
  for (let index = 0; index < items.length; index += size) pieces.push(items.slice(index, index + size));
  return pieces;
}
