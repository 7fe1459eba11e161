/**
 * Token buckets by key (a member, an IP address): `burst` requests at once, then `perMinute`
 * refilled evenly. Pure (the caller passes the time) and bounded: past `maxKeys` the least recently
 * used bucket is forgotten, which only ever gives a key a full bucket again.
 */
export interface BucketSize {
  burst: number;
  perMinute: number;
}

export type BucketAnswer = { ok: true } | { ok: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly size: BucketSize,
    private readonly maxKeys = 50_000,
  ) {
    this.perMs = size.perMinute / 60_000;
  }

  /** Takes one token, or says how long until one is there. */
  take(key: string, now: number): BucketAnswer {
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: this.waitFor(bucket) };
  }

  /** Whether a token is there, without taking it; else how long until one is. */
  peek(key: string, now: number): BucketAnswer {
    const bucket = this.buckets.get(key);
    if (!bucket) return { ok: true };
    const tokens = Math.min(this.size.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    return tokens >= 1 ? { ok: true } : { ok: false, retryAfterMs: this.waitFor({ tokens, at: now }) };
  }

  private refilled(key: string, now: number): Bucket {
    const known = this.buckets.get(key);
    const bucket = known
      ? { tokens: Math.min(this.size.burst, known.tokens + Math.max(0, now - known.at) * this.perMs), at: now }
      : { tokens: this.size.burst, at: now };
    // Re-inserted so the map's order is least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    return bucket;
  }

  private waitFor(bucket: Bucket): number {
    return this.perMs > 0 ? Math.ceil((1 - bucket.tokens) / this.perMs) : Number.POSITIVE_INFINITY;
  }
}
