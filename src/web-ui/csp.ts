/** Where Clockify's web app runs: the sidebar may be framed only by these, the edition itself and local development. */
export const CLOCKIFY_FRAME_ANCESTORS = ['https://*.clockify.me', 'https://clockify.me'] as const;
const LOCAL_FRAME_ANCESTORS = ['http://localhost:*', 'http://127.0.0.1:*'] as const;

function originOf(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return undefined;
  }
}

/**
 * The Content-Security-Policy of the sidebar page. Scripts and styles come from the add-on only
 * (no CDN, no inline script), API calls go back to the add-on only, and only Clockify may frame it.
 */
export function sidebarCsp(baseUrl: string): string {
  const ancestors = [...CLOCKIFY_FRAME_ANCESTORS, originOf(baseUrl), ...LOCAL_FRAME_ANCESTORS].filter(
    (value, index, all): value is string => !!value && all.indexOf(value) === index,
  );
  return [
    "default-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors.join(' ')}`,
  ].join('; ');
}
