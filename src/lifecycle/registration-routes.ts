import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { currentUser, requireAdmin } from './user-auth.js';
import { driftReportFor } from '../server/access-policy.js';
import type { WebhookRegistrar } from './registration.js';
import { DriftReply, RepairReply } from './schemas.js';

/** The drift report and its repair button. */
export async function registrationRoutes(app: FastifyInstance, { registrar }: { registrar: WebhookRegistrar }) {
  // Handlers are checked against their declared answers (the type provider reads the TypeBox schemas).
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  typed.get(
    '/ui/webhooks/registrations',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Expected versus actual webhook registrations.',
        security: [{ userToken: [] }],
        response: { 200: DriftReply },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const report = await registrar.drift(user.workspaceId);
      const problems = report.entries.filter((entry) => entry.state !== 'ok').length;
      return {
        ...driftReportFor(user, report),
        summary: {
          expected: report.entries.filter((e) => e.state !== 'unexpected').length,
          ok: report.entries.length - problems,
          problems,
        },
      };
    },
  );

  typed.post(
    '/ui/webhooks/registrations/repair',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Re-register missing, failed or disabled webhooks and remove duplicates (admins).',
        security: [{ userToken: [] }],
        response: { 200: RepairReply },
      },
    },
    async (request) => {
      const user = requireAdmin(request);
      return registrar.repair(user.workspaceId);
    },
  );
}
