import { DEFAULT_BUDGET, type Budget, type BudgetLookup } from './types.js';

/**
 * The budget of one workspace: the override where it gives a usable number, the defaults otherwise.
 * An override of `perSecond` alone scales the background share with it (50/25 → 10/5), so lowering
 * a workspace's limit also lowers what bulk work may take. Budgets are whole requests, at least 1,
 * and the background share never exceeds the total.
 */
export function normaliseBudget(defaults: Budget, override: Partial<Budget> | undefined): Budget {
  const perSecond = usable(override?.perSecond) ?? defaults.perSecond;
  const scaled =
    perSecond === defaults.perSecond ? defaults.backgroundPerSecond : (perSecond * defaults.backgroundPerSecond) / defaults.perSecond;
  const backgroundPerSecond = usable(override?.backgroundPerSecond) ?? scaled;
  const total = Math.max(1, Math.floor(perSecond));
  return { perSecond: total, backgroundPerSecond: Math.min(total, Math.max(1, Math.floor(backgroundPerSecond))) };
}

export function defaultsFrom(options: { perSecond?: number; backgroundPerSecond?: number }): Budget {
  return normaliseBudget(DEFAULT_BUDGET, {
    perSecond: options.perSecond ?? DEFAULT_BUDGET.perSecond,
    backgroundPerSecond: options.backgroundPerSecond ?? DEFAULT_BUDGET.backgroundPerSecond,
  });
}

export async function lookupBudget(defaults: Budget, budgetFor: BudgetLookup | undefined, workspaceId: string): Promise<Budget> {
  if (!budgetFor) return defaults;
  try {
    return normaliseBudget(defaults, await budgetFor(workspaceId));
  } catch {
    // A broken settings lookup must not stop calls; the documented default is always a safe budget.
    return defaults;
  }
}

function usable(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? value : undefined;
}
