import { useEffect, useState } from 'preact/hooks';

/** The current time, refreshed every `ms`, so "2 minutes ago" labels stay true. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}
