import { apiStudio } from './api-studio.js';
import { clockifyAddon } from './clockify-addon.js';
import type { ClockifyEvent } from './events.js';
import type { EditionDefinition, EditionId, EventRoute } from './types.js';
import { universalWebhook } from './universal-webhook.js';

export const EDITIONS: readonly EditionDefinition[] = [apiStudio, universalWebhook, clockifyAddon];

export function isEditionId(value: string): value is EditionId {
  return EDITIONS.some((edition) => edition.id === value);
}

export function getEdition(id: EditionId): EditionDefinition {
  const edition = EDITIONS.find((candidate) => candidate.id === id);
  if (!edition) throw new Error(`Unknown edition ${id}`);
  return edition;
}

/** How Clockify delivers an event to this edition: declared in the manifest or registered through the REST API. */
export function eventRoute(edition: EditionDefinition, event: ClockifyEvent): EventRoute | undefined {
  if (!edition.events.includes(event)) return undefined;
  return edition.manifestEvents.includes(event) ? 'manifest' : 'rest';
}

export function restRegisteredEvents(edition: EditionDefinition): ClockifyEvent[] {
  return edition.events.filter((event) => !edition.manifestEvents.includes(event));
}

export type { EditionDefinition, EditionId } from './types.js';
