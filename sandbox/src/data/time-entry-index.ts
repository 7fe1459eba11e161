import type { TimeEntryRecord } from './records.js';

/**
 * Time entries by id and, per user, sorted newest first (Clockify's order). Per-user arrays keep the
 * common "entries of one user in a date range" query cheap with 100,000 entries.
 */
export class TimeEntryIndex {
  private readonly byId = new Map<string, TimeEntryRecord>();
  private readonly byUser = new Map<string, TimeEntryRecord[]>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): TimeEntryRecord | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<TimeEntryRecord> {
    return this.byId.values();
  }

  /** Adds many entries at once (seeding); sorts each user's list once instead of per insert. */
  addBulk(entries: TimeEntryRecord[]): void {
    const touched = new Set<string>();
    for (const entry of entries) {
      this.byId.set(entry.id, entry);
      this.listOf(entry.userId).push(entry);
      touched.add(entry.userId);
    }
    for (const userId of touched) this.listOf(userId).sort(newestFirst);
  }

  add(entry: TimeEntryRecord): void {
    this.byId.set(entry.id, entry);
    const list = this.listOf(entry.userId);
    list.splice(insertionPoint(list, entry), 0, entry);
  }

  remove(id: string): TimeEntryRecord | undefined {
    const entry = this.byId.get(id);
    if (!entry) return undefined;
    this.byId.delete(id);
    const list = this.listOf(entry.userId);
    const at = list.indexOf(entry);
    if (at >= 0) list.splice(at, 1);
    return entry;
  }

  /** Replaces an entry (same id), keeping the per-user order right when start or user changed. */
  replace(updated: TimeEntryRecord): void {
    this.remove(updated.id);
    this.add(updated);
  }

  /** Entries of one user, newest first; `from`/`to` bound the start time (ms, inclusive/exclusive). */
  forUser(userId: string, from?: number, to?: number): TimeEntryRecord[] {
    const list = this.byUser.get(userId) ?? [];
    if (from === undefined && to === undefined) return list;
    return list.filter((e) => (from === undefined || e.start >= from) && (to === undefined || e.start < to));
  }

  running(): TimeEntryRecord[] {
    const out: TimeEntryRecord[] = [];
    for (const list of this.byUser.values()) for (const e of list) if (e.end === null) out.push(e);
    return out;
  }

  private listOf(userId: string): TimeEntryRecord[] {
    let list = this.byUser.get(userId);
    if (!list) {
      list = [];
      this.byUser.set(userId, list);
    }
    return list;
  }
}

function newestFirst(a: TimeEntryRecord, b: TimeEntryRecord): number {
  return b.start - a.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function insertionPoint(list: TimeEntryRecord[], entry: TimeEntryRecord): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (newestFirst(list[mid] as TimeEntryRecord, entry) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
