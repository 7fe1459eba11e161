import { useCallback, useRef, useState } from 'preact/hooks';
import { asApiError } from '../api/client';
import type { ApiError } from '../api/client';

export interface Action<A extends unknown[], T> {
  run(...args: A): Promise<T | undefined>;
  busy: boolean;
  error: ApiError | undefined;
  clearError(): void;
}

/** A write the user starts (save, delete, run): busy state for the button and the error to show. */
export function useAction<A extends unknown[], T>(perform: (...args: A) => Promise<T>): Action<A, T> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const latest = useRef(perform);
  latest.current = perform;
  const run = useCallback(async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      return await latest.current(...args);
    } catch (reason) {
      setError(asApiError(reason));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(undefined), []);
  return { run, busy, error, clearError };
}
