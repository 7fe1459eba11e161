/**
 * Picks up to `limit` job ids so that workspaces take turns: the first ready job of each workspace,
 * then the second of each, and so on. Candidates arrive oldest first; duplicates are ignored.
 */
export function pickFairly(candidates: { id: number; workspace_id: string }[], limit: number): number[] {
  const queues = new Map<string, number[]>();
  const seen = new Set<number>();
  for (const candidate of candidates) {
    if (seen.has(candidate.id)) continue;
    seen.add(candidate.id);
    const queue = queues.get(candidate.workspace_id);
    if (queue) queue.push(candidate.id);
    else queues.set(candidate.workspace_id, [candidate.id]);
  }
  for (const queue of queues.values()) queue.sort((a, b) => a - b);
  const picked: number[] = [];
  while (picked.length < limit) {
    let progressed = false;
    for (const queue of queues.values()) {
      const next = queue.shift();
      if (next === undefined) continue;
      picked.push(next);
      progressed = true;
      if (picked.length >= limit) break;
    }
    if (!progressed) break;
  }
  return picked;
}
