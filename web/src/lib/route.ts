/** The views of the sidebar, addressed by the URL hash (`#/flows/<id>`), so the browser's back button works inside the iframe. */
export const VIEWS = ['overview', 'webhooks', 'explorer', 'flows', 'settings'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  /** The rest of the path, decoded: `#/flows/abc/runs/r1` gives ['abc', 'runs', 'r1']. */
  parts: string[];
}

export function parseRoute(hash: string): Route {
  const segments = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  const [first, ...rest] = segments;
  const view = (VIEWS as readonly string[]).includes(first ?? '') ? (first as View) : 'overview';
  return { view, parts: view === first ? rest : [] };
}

export function routeHref(view: View, ...parts: (string | undefined)[]): string {
  return '#/' + [view, ...parts.filter((part): part is string => !!part)].map(encodeURIComponent).join('/');
}
