/**
 * Coalesces lookups made in the same turn of the event loop into one call: fifty webhooks arriving
 * together cost one database round trip instead of fifty. Each caller still gets its own answer.
 */
export class BatchLoader<Key, Value> {
  private pending = new Map<Key, { resolve: (value: Value | undefined) => void; reject: (error: unknown) => void }[]>();
  private scheduled = false;

  constructor(
    private readonly loadMany: (keys: Key[]) => Promise<Map<Key, Value>>,
    private readonly maxBatch = 500,
  ) {}

  load(key: Key): Promise<Value | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    const keys = [...batch.keys()];
    for (let start = 0; start < keys.length; start += this.maxBatch) {
      const chunk = keys.slice(start, start + this.maxBatch);
      this.loadMany(chunk).then(
        (found) => {
          for (const key of chunk) for (const waiter of batch.get(key)!) waiter.resolve(found.get(key));
        },
        (error: unknown) => {
          for (const key of chunk) for (const waiter of batch.get(key)!) waiter.reject(error);
        },
      );
    }
  }
}
