import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { asApiError } from '../api/client';
import type { ApiError } from '../api/client';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** True while the first load (or a load after an error) is running: show a skeleton. */
  loading: boolean;
  /** True during any load, including quiet refreshes with data on screen. */
  refreshing: boolean;
  reload(): void;
  /** Change the data in place (after a write or a live event) without a round trip. */
  update(change: (current: T | undefined) => T | undefined): void;
}

/**
 * Loads data for a view and reloads it when `deps` change. A newer load always wins over an older
 * one that finishes late, and nothing is set after the view is gone.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [refreshing, setRefreshing] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setRefreshing(true);
    loadRef
      .current(controller.signal)
      .then((value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(undefined);
      })
      .catch((reason: unknown) => {
        if (controller.signal.aborted) return;
        setError(asApiError(reason));
      })
      .finally(() => {
        if (!controller.signal.aborted) setRefreshing(false);
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  const update = useCallback((change: (current: T | undefined) => T | undefined) => setData((current) => change(current)), []);
  return { data, error, loading: refreshing && (data === undefined || error !== undefined), refreshing, reload, update };
}
