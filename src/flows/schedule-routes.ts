import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { problems } from '../server/problems.js';
import { currentUser } from '../lifecycle/user-auth.js';
import { FLOW_LIMITS } from './model.js';
import { nextCronOccurrences, parseCron, shortestGapMinutes, tooFrequent } from './cron.js';
import { isTimeZone } from './schedule.js';
import type { WorkspaceTimeZones } from './workspace-time-zone.js';

const PreviewQuery = Type.Object({
  cron: Type.String({ minLength: 1, maxLength: 200, description: 'Five-field cron, e.g. "0 17 * * 1-5".' }),
  timeZone: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: "IANA time zone; default: the workspace's (as a flow saved without one gets).",
    }),
  ),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 3 })),
});

const Preview = Type.Object({
  cron: Type.String({ description: 'The expression as it will be stored (fields separated by one space).' }),
  timeZone: Type.String(),
  occurrences: Type.Array(Type.String({ format: 'date-time' }), { description: 'The next occurrences after now, UTC.' }),
});

/** GET /ui/flows/schedule/preview: the next occurrences of a cron schedule, for the editor; a bad one is a 400 naming why. */
export async function scheduleRoutes(ui: FastifyInstance, { timeZones, now }: { timeZones: WorkspaceTimeZones; now: () => number }) {
  ui.get<{ Querystring: Static<typeof PreviewQuery> }>(
    '/ui/flows/schedule/preview',
    {
      schema: {
        tags: ['flows'],
        summary: "The next occurrences of a cron schedule in a time zone (the editor's preview).",
        querystring: PreviewQuery,
        response: { 200: Preview },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const parsed = parseCron(request.query.cron);
      if (!parsed.ok)
        throw problems.badRequest('invalid-cron', `The cron expression ${parsed.message}.`, [
          { field: 'querystring.cron', message: parsed.message },
        ]);
      if (tooFrequent(parsed.cron, FLOW_LIMITS.scheduleMinIntervalMinutes)) {
        const message = `runs too often: at least ${FLOW_LIMITS.scheduleMinIntervalMinutes} minutes between runs (the shortest gap here is ${shortestGapMinutes(parsed.cron)})`;
        throw problems.badRequest('invalid-cron', `The cron expression ${message}.`, [{ field: 'querystring.cron', message }]);
      }
      const timeZone = request.query.timeZone ?? (await timeZones.of(user));
      if (!isTimeZone(timeZone))
        throw problems.badRequest('invalid-time-zone', `"${timeZone}" is not an IANA time zone (e.g. Europe/Berlin).`, [
          { field: 'querystring.timeZone', message: 'is not an IANA time zone' },
        ]);
      const occurrences = nextCronOccurrences(parsed.cron, timeZone, now(), request.query.count ?? 3);
      return { cron: parsed.cron.source, timeZone, occurrences: occurrences.map((instant) => new Date(instant).toISOString()) };
    },
  );
}
