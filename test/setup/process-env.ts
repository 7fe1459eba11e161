/**
 * Vitest copies Vite's `import.meta.env` into `process.env` (BASE_URL="/", MODE, DEV, PROD, SSR).
 * BASE_URL is also a configuration name here (the Python system's public URL of the Clockify
 * Add-on, read as an alias), so a test's process and every edition it spawns would start with an
 * invalid "/". Removed before any test runs; a test that wants BASE_URL sets it itself.
 */
for (const name of ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR']) delete process.env[name];
