/**
 * Domain errors carry a code and no HTTP; the HTTP error handler alone maps each code to a status
 * and a problem+json type. A background job can tell "not installed" apart without an HTTP class.
 */
import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES, DomainError, isDomainError } from '../../src/errors/domain-error.js';
import { createHttpServer } from '../../src/server/app.js';
import { createTestRuntime } from '../helpers/runtime.js';

describe('domain errors', () => {
  it('become problem+json only at the HTTP edge, with the code as the type and the fields as errors', async () => {
    const t = await createTestRuntime('clockify-addon', {
      dialect: 'sqlite',
      buildApp: async (runtime) => {
        const app = createHttpServer(runtime);
        app.get('/fails/:code', async (request) => {
          const { code } = request.params as { code: (typeof DOMAIN_ERROR_CODES)[number] };
          throw new DomainError(
            code,
            `failed with ${code}`,
            code === 'invalid-settings' ? [{ field: 'settings[0].value', message: 'must be a number' }] : undefined,
          );
        });
        await app.ready();
        return app;
      },
    });
    try {
      const expected = {
        'not-installed': 404,
        'invalid-settings': 400,
        'bootstrap-running': 409,
        'nothing-to-retry': 409,
        'no-previous-run': 409,
      };
      for (const code of DOMAIN_ERROR_CODES) {
        const response = await t.app.inject({ method: 'GET', url: `/fails/${code}` });
        expect(response.statusCode, code).toBe(expected[code]);
        expect(response.headers['content-type']).toContain('application/problem+json');
        const body = response.json();
        expect(body).toMatchObject({
          type: `https://clockify-addon-platform.dev/problems/${code}`,
          status: expected[code],
          detail: `failed with ${code}`,
        });
        if (code === 'invalid-settings') expect(body.errors).toEqual([{ field: 'settings[0].value', message: 'must be a number' }]);
      }
    } finally {
      await t.close();
    }
  });

  it('are recognised by code, not by an HTTP status', () => {
    const error = new DomainError('not-installed', 'gone');
    expect(isDomainError(error, 'not-installed')).toBe(true);
    expect(isDomainError(error, 'bootstrap-running')).toBe(false);
    expect(isDomainError(new Error('not-installed'))).toBe(false);
    expect(error).not.toHaveProperty('status');
  });
});
