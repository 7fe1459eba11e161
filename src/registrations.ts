/**
 * How rooms add job handlers and event consumers to the runtime: checked and ordered here, so a
 * wiring mistake shows at start-up and the consumers' order does not depend on the rooms' order.
 */

/** Adds `value` under `key`; a key registered twice is a wiring mistake and throws. */
export function registerOnce<T>(registry: Record<string, T>, key: string, value: T, what: string): void {
  if (Object.hasOwn(registry, key)) throw new Error(`${what} "${key}" is registered twice`);
  registry[key] = value;
}

/**
 * Inserts `item` into `list` by its `order` (lower first; equal orders keep registration order).
 * Items added without an order (pushed by hand) count as last.
 */
export function insertByOrder<T extends object>(list: T[], item: T, order: number, orders: WeakMap<T, number>): void {
  orders.set(item, order);
  const at = list.findIndex((existing) => (orders.get(existing) ?? Number.POSITIVE_INFINITY) > order);
  if (at === -1) list.push(item);
  else list.splice(at, 0, item);
}
