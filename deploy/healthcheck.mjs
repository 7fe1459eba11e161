// Container health check: every edition port in HEALTHCHECK_PORTS must answer 200 on /ready
// (database reachable, migrations applied, Redis answering when configured). Exit 0 = healthy.
const ports = (process.env.HEALTHCHECK_PORTS ?? '8000,8001,8002').split(',').map((port) => port.trim()).filter(Boolean);

const results = await Promise.all(
  ports.map((port) =>
    fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(4000) }).then(
      (response) => response.status === 200,
      () => false,
    ),
  ),
);
process.exit(results.length > 0 && results.every(Boolean) ? 0 : 1);
