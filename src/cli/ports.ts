import { createServer } from 'node:net';
import { UserError } from './output.js';

/** True when nothing listens on host:port yet (a quick bind and release). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the system has just handed out as free. */
export function pickFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A listen failure a person can act on, in one line: which port, who wanted it, and which variable or
 * flag moves it. Anything else is returned untouched.
 */
export function explainListenError(error: unknown, what: string, port: number, howToChange: string): unknown {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'EADDRINUSE') return new UserError(`port ${port} is already in use, so ${what} cannot start; ${howToChange}`);
  if (code === 'EACCES') return new UserError(`port ${port} needs privileges this user does not have (${what}); ${howToChange}`);
  if (code === 'EADDRNOTAVAIL') return new UserError(`cannot listen for ${what} on that interface (port ${port}); check HOST`);
  return error;
}
