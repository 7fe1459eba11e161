import type { Harness } from './harness.js';

/** Routes that answer with an endless stream (read over a socket where they are tested). */
export const STREAMING = /\/stream$/;

/**
 * The sidebar's UI API, read from the server's own route table (so a route added tomorrow is in it
 * tomorrow): the routes that refuse a request without a token as a user-token problem.
 */
export async function uiRoutesOf(h: Harness): Promise<{ url: string; method: string }[]> {
  const routes: { url: string; method: string }[] = [];
  for (const { url, methods } of h.app.routeIndex.patterns()) {
    if (STREAMING.test(url)) continue;
    for (const method of methods.filter((m) => m !== 'HEAD' && m !== 'OPTIONS')) {
      const probe = await h.send({ method: method as 'GET', url: url.replace(/:[A-Za-z]+/g, 'probe').replace(/\*$/, 'probe') });
      if (probe.statusCode === 401 && probe.body.includes('user token')) routes.push({ url, method });
    }
  }
  return routes;
}

/** The POSTs the role matrix counts as reads: dry runs and explorer calls (run with the caller's own token), which store nothing of the workspace's. */
export const READING_POSTS = new Set([
  '/ui/flows/test',
  '/ui/flows/:flowId/test',
  '/ui/flows/steps/preview',
  '/ui/api-explorer/execute',
  '/api-call',
  '/ui/api-explorer/history/:callId/rerun',
]);
