import { useEffect, useRef } from 'preact/hooks';
import type { LiveKind } from '../api/live';
import { useApp } from '../app-context';

/** Runs `handler` for each live event of a kind while the component is shown. */
export function useLive(kind: LiveKind, handler: (data: Record<string, unknown>) => void): void {
  const { live } = useApp();
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => live.subscribe(kind, (data) => latest.current(data)), [live, kind]);
}

/**
 * Reloads when live events of these kinds arrive, at most once per `waitMs`: a burst of webhooks
 * becomes one request, not fifty.
 */
export function useLiveReload(kinds: LiveKind[], reload: () => void, waitMs = 600): void {
  const { live } = useApp();
  const latest = useRef(reload);
  latest.current = reload;
  const key = kinds.join(',');
  useEffect(() => {
    let timer: number | undefined;
    const schedule = () => {
      if (timer !== undefined) return;
      timer = window.setTimeout(() => {
        timer = undefined;
        latest.current();
      }, waitMs);
    };
    const unsubscribers = key.split(',').map((kind) => live.subscribe(kind as LiveKind, schedule));
    return () => {
      window.clearTimeout(timer);
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, [live, key, waitMs]);
}

/** Calls `tick` every `ms` while `active`; a fallback for when the live stream is down. */
export function useInterval(tick: () => void, ms: number, active: boolean): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => latest.current(), ms);
    return () => window.clearInterval(timer);
  }, [ms, active]);
}
