import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { callOperation } from '../lifecycle/workspace-api.js';
import type { Runtime } from '../runtime.js';
import { currentUser } from '../lifecycle/user-auth.js';

export const Preferences = Type.Object({
  /** `clockify`: read from the user's Clockify settings; `default`: Clockify did not say, the browser's own are used. */
  source: Type.Union([Type.Literal('clockify'), Type.Literal('default')]),
  timeZone: Type.Union([Type.String(), Type.Null()]),
  /** Clockify's pattern, e.g. `MM/DD/YYYY` or `DD.MM.YYYY`. */
  dateFormat: Type.Union([Type.String(), Type.Null()]),
  /** `HOUR12` or `HOUR24`. */
  timeFormat: Type.Union([Type.String(), Type.Null()]),
});
type PreferencesValue = { source: 'clockify' | 'default'; timeZone: string | null; dateFormat: string | null; timeFormat: string | null };

const TTL_MS = 60 * 60 * 1000;
const MAX_CACHED = 5_000;

/** Reads one user's Clockify date and time settings: pure, for the route and its tests. */
export function preferencesOf(user: unknown): PreferencesValue {
  const settings = user && typeof user === 'object' ? (user as { settings?: Record<string, unknown> }).settings : undefined;
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : null);
  const timeZone = text(settings?.timeZone);
  const dateFormat = text(settings?.dateFormat);
  const timeFormat = text(settings?.timeFormat);
  return { source: timeZone || dateFormat || timeFormat ? 'clockify' : 'default', timeZone, dateFormat, timeFormat };
}

/**
 * GET /ui/me/preferences: the viewer's date format, time format and time zone from Clockify
 * (GET /v1/user with their own token), cached for an hour per user so a page load costs no call.
 */
export async function preferencesRoutes(ui: FastifyInstance, { runtime }: { runtime: Runtime }) {
  const cache = new Map<string, { value: PreferencesValue; until: number }>();
  const operation = runtime.catalog.get('getLoggedUser');
  ui.get(
    '/ui/me/preferences',
    {
      schema: {
        tags: ['settings'],
        summary: "The viewing user's Clockify date format, time format and time zone (cached).",
        response: { 200: Preferences },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const key = `${user.workspaceId}:${user.userId}`;
      const cached = cache.get(key);
      if (cached && cached.until > runtime.now()) return cached.value;
      let value: PreferencesValue = { source: 'default', timeZone: null, dateFormat: null, timeFormat: null };
      if (operation) {
        try {
          const { response } = await callOperation(runtime, {
            workspaceId: user.workspaceId,
            operation,
            input: { params: {} },
            token: user.token,
            userId: user.userId,
            source: 'system',
            lane: 'interactive',
            throwOnHttpError: false,
          });
          if (response.status < 300) value = preferencesOf(response.body);
        } catch (error) {
          request.log.debug({ err: error }, "user preferences unavailable; the browser's are used");
        }
      }
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
      cache.set(key, { value, until: runtime.now() + TTL_MS });
      return value;
    },
  );
}
