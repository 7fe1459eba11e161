/**
 * A `once(key, load)` for one unit of work (a batch of events): the first call with a key starts the
 * load, later calls with that key share its promise.
 */
export function sharedLoads(): <T>(key: string, load: () => Promise<T>) => Promise<T> {
  const loads = new Map<string, Promise<unknown>>();
  return <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let value = loads.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      loads.set(key, value);
    }
    return value;
  };
}
