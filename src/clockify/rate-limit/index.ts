export { createMemoryRateLimiter, type MemoryRateLimiterOptions } from './memory-limiter.js';
export { createRedisRateLimiter, type RedisRateLimiterOptions } from './redis-limiter.js';
export { createRateLimitMetrics, type RateLimitMetrics } from './metrics.js';
export { normaliseBudget } from './budget.js';
export { DEFAULT_BUDGET, type Budget, type BudgetLookup, type Grant, type Lane, type RateLimiter } from './types.js';
