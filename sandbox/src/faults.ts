import { createPrng } from './prng.js';

export interface FaultOptions {
  /** Added before every REST answer (not to /__sandbox). */
  latencyMs?: number;
  /** Share (0..1) of REST calls answered 503. */
  errorRate?: number;
  /** Share (0..1) of REST calls answered 429 with Retry-After, on top of the real rate limit. */
  rateLimitRate?: number;
}

export type InjectedFault = 'serviceUnavailable' | 'tooManyRequests';

/** Decides which REST calls get an injected fault. Seeded, so a run with the same seed fails the same calls. */
export class FaultInjector {
  private options: Required<FaultOptions>;
  private readonly random: () => number;

  constructor(options: FaultOptions = {}, seed = 1) {
    this.options = normalize(options);
    this.random = createPrng(seed ^ 0x5eed).next;
  }

  set(options: FaultOptions): void {
    this.options = normalize(options);
  }

  get current(): Required<FaultOptions> {
    return { ...this.options };
  }

  latencyMs(): number {
    return this.options.latencyMs;
  }

  decide(): InjectedFault | undefined {
    const { errorRate, rateLimitRate } = this.options;
    if (errorRate <= 0 && rateLimitRate <= 0) return undefined;
    const roll = this.random();
    if (roll < rateLimitRate) return 'tooManyRequests';
    if (roll < rateLimitRate + errorRate) return 'serviceUnavailable';
    return undefined;
  }
}

function normalize(options: FaultOptions): Required<FaultOptions> {
  const share = (value: number | undefined, name: string): number => {
    const v = value ?? 0;
    if (!Number.isFinite(v) || v < 0 || v > 1) throw new Error(`${name} must be between 0 and 1, got ${String(value)}`);
    return v;
  };
  const latencyMs = options.latencyMs ?? 0;
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error(`latencyMs must be >= 0, got ${String(options.latencyMs)}`);
  return {
    latencyMs,
    errorRate: share(options.errorRate, 'errorRate'),
    rateLimitRate: share(options.rateLimitRate, 'rateLimitRate'),
  };
}
