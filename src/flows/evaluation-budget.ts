/**
 * What one evaluation of a flow's conditions may cost, across all of its rules: JSONPath nodes
 * visited and selected, and characters fed to `matches` patterns. Spent while the work happens (not
 * estimated before), so a hostile path or a hundred patterns stop after a bounded amount of work
 * instead of freezing the event loop that every edition of the process shares.
 */
export const EVALUATION_LIMITS = {
  /** Property reads of the event during JSONPath evaluation (each node reached once per path that reaches it). */
  pathNodes: 20_000,
  /** Values one JSONPath may select. */
  pathResults: 10_000,
  /** Characters tested against `matches` patterns, all rules together. */
  regexCharacters: 200_000,
} as const;

export type EvaluationLimit = keyof typeof EVALUATION_LIMITS;

const DESCRIPTIONS: Record<EvaluationLimit, (limit: number) => string> = {
  pathNodes: (limit) =>
    `JSONPath evaluation visited more than ${limit} nodes of the event (limit pathNodes); use a narrower path than descendant segments (..) over the whole event`,
  pathResults: (limit) => `a JSONPath selected more than ${limit} values (limit pathResults)`,
  regexCharacters: (limit) => `"matches" rules tested more than ${limit} characters in one evaluation (limit regexCharacters)`,
};

export class BudgetExceededError extends Error {
  constructor(
    readonly limit: EvaluationLimit,
    value: number = EVALUATION_LIMITS[limit],
  ) {
    super(DESCRIPTIONS[limit](value));
    this.name = 'BudgetExceededError';
  }
}

/** The running count of one evaluation; throws BudgetExceededError the moment a limit is passed. */
export class EvaluationBudget {
  private pathNodes = 0;
  private regexCharacters = 0;

  constructor(private readonly limits: Record<EvaluationLimit, number> = EVALUATION_LIMITS) {}

  visitNodes(count: number): void {
    this.pathNodes += count;
    if (this.pathNodes > this.limits.pathNodes) throw new BudgetExceededError('pathNodes', this.limits.pathNodes);
  }

  selected(count: number): void {
    if (count > this.limits.pathResults) throw new BudgetExceededError('pathResults', this.limits.pathResults);
  }

  testCharacters(count: number): void {
    this.regexCharacters += count;
    if (this.regexCharacters > this.limits.regexCharacters) throw new BudgetExceededError('regexCharacters', this.limits.regexCharacters);
  }
}
