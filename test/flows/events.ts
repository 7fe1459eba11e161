import { readResourceJson } from '../../src/resources.js';

/** Event names from the bundled webhook samples, as an edition's allowed events would list them. */
export const CLOCKIFY_EVENTS_FOR_TESTS: string[] = Object.keys(
  readResourceJson<Record<string, unknown>>('clockify', 'webhook-samples.json'),
);
