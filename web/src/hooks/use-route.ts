import { useEffect, useState } from 'preact/hooks';
import { parseRoute } from '../lib/route';
import type { Route } from '../lib/route';

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(href: string): void {
  if (window.location.hash !== href) window.location.hash = href;
}
