import type { EditionDefinition } from '../editions/types.js';
import type { WorkspaceSettings } from '../lifecycle/settings.js';
import { DEFAULT_PAGE_SIZE, timeWindow } from './plan.js';
import type { PlanOptions, TimeWindow } from './plan.js';

/**
 * What a run was started with, stored with the run (`settings_json`): a resumed or retried run plans
 * and pages exactly as it began, even if the settings changed meanwhile, and its time window does
 * not slide.
 */
export interface RunSettings {
  includeHeavy: boolean;
  includeTimeEntries: boolean;
  coreOnly: boolean;
  timeEntryDaysBack: number;
  maxPages: number;
  cacheTtlDays: number;
  pageSize: number;
  window: TimeWindow;
}

export interface RunOverrides {
  /** Page size for every paginated operation (still capped by each one's maximum). Tests and benchmarks use it. */
  pageSize?: number;
}

export function runSettingsFrom(
  edition: EditionDefinition,
  settings: WorkspaceSettings,
  globalMaxPages: number,
  now: number,
  overrides: RunOverrides = {},
): RunSettings {
  const timeEntryDaysBack = numberOr(settings.time_entry_days_back, 30, 1);
  return {
    // The setting asks, the edition allows.
    includeHeavy: settings.include_heavy === true && edition.capabilities.heavyBootstrap,
    includeTimeEntries: settings.include_time_entries === true,
    coreOnly: edition.id === 'api-studio',
    timeEntryDaysBack,
    maxPages: Math.min(numberOr(settings.max_pages, globalMaxPages, 1), globalMaxPages),
    cacheTtlDays: numberOr(settings.cache_ttl_days, 7, 1),
    pageSize: Math.max(1, Math.floor(overrides.pageSize ?? DEFAULT_PAGE_SIZE)),
    window: timeWindow(now, timeEntryDaysBack),
  };
}

export function planOptionsOf(settings: RunSettings, edition: EditionDefinition): PlanOptions {
  return {
    includeHeavy: settings.includeHeavy,
    includeTimeEntries: settings.includeTimeEntries,
    coreOnly: settings.coreOnly,
    scopes: edition.scopes,
    window: settings.window,
    pageSize: settings.pageSize,
  };
}

function numberOr(value: unknown, fallback: number, min: number): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(number) && number >= min ? Math.floor(number) : fallback;
}
