/**
 * What a flow template is, and the readers of its inputs: each checks one input and throws
 * TemplateInputError naming it, so the route answers 400 with the field. Shared by the starter
 * templates (library.ts) and the recipes (recipes/).
 */
import { checkUrlSyntax } from '../net/ssrf.js';
import type { FlowDefinition } from './model.js';
import { isTimeZone } from './zoned-time.js';

export type FlowEdition = 'api-studio' | 'universal-webhook' | 'clockify-addon';

export type TemplateInputType = 'text' | 'text-list' | 'url' | 'project-id' | 'tag-id' | 'number' | 'time-zone';

export interface TemplateInput {
  name: string;
  label: string;
  type: TemplateInputType;
}

export interface FlowTemplate {
  id: string;
  name: string;
  description: string;
  editions: FlowEdition[];
  requiredInputs: TemplateInput[];
  /** Throws TemplateInputError when an input is missing or malformed. */
  build(inputs: Record<string, unknown>): FlowDefinition;
}

export class TemplateInputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`${input}: ${message}`);
    this.name = 'TemplateInputError';
  }
}

export const ALL_EDITIONS: FlowEdition[] = ['api-studio', 'universal-webhook', 'clockify-addon'];
const CLOCKIFY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_TEXT = 3_000;
const MAX_TASKS = 20;

/** Escapes `{{` so user text is never read as a template expression. */
export function literalText(text: string): string {
  return text.replaceAll('{{', '\\{{');
}

export function readText(inputs: Record<string, unknown>, name: string): string {
  const value = inputs[name];
  if (typeof value !== 'string' || value.trim() === '') throw new TemplateInputError(name, 'is required');
  if (value.length > MAX_TEXT) throw new TemplateInputError(name, `must be at most ${MAX_TEXT} characters`);
  return value;
}

export function readId(inputs: Record<string, unknown>, name: string): string {
  const value = readText(inputs, name).trim();
  if (!CLOCKIFY_ID.test(value)) throw new TemplateInputError(name, 'is not a Clockify id');
  return value;
}

export function readTextList(inputs: Record<string, unknown>, name: string): string[] {
  const value = inputs[name];
  const items = (Array.isArray(value) ? value : typeof value === 'string' ? value.split('\n') : [])
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new TemplateInputError(name, 'needs at least one entry');
  if (items.length > MAX_TASKS) throw new TemplateInputError(name, `may have at most ${MAX_TASKS} entries`);
  if (items.some((item) => item.length > 1_000)) throw new TemplateInputError(name, 'entries must be at most 1000 characters');
  return items;
}

export function readUrl(inputs: Record<string, unknown>, name: string): string {
  const value = readText(inputs, name).trim();
  const check = checkUrlSyntax(value);
  if (!check.ok) throw new TemplateInputError(name, check.reason);
  return literalText(value);
}

/**
 * Body for updateTimeEntry (PUT replaces the entry, so every field is carried over from the event);
 * single-expression templates keep the event's types (booleans, null end of a running timer, arrays).
 */
export function timeEntryUpdateBody(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    start: '{{ event.timeInterval.start }}',
    end: '{{ event.timeInterval.end }}',
    billable: '{{ event.billable }}',
    description: '{{ event.description }}',
    projectId: '{{ event.projectId }}',
    taskId: '{{ event.taskId }}',
    tagIds: '{{ event.tagIds }}',
    ...overrides,
  };
}

/** A number within [min, max]; the gallery sends text, the API may send a number. */
export function readNumber(
  inputs: Record<string, unknown>,
  name: string,
  { min, max, integer = false }: { min: number; max: number; integer?: boolean },
): number {
  const value = inputs[name];
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
    throw new TemplateInputError(name, 'is required');
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  if (!Number.isFinite(number)) throw new TemplateInputError(name, 'must be a number');
  if (integer && !Number.isInteger(number)) throw new TemplateInputError(name, 'must be a whole number');
  if (number < min || number > max) throw new TemplateInputError(name, `must be between ${min} and ${max}`);
  return number;
}

/** An IANA time zone name (`Europe/Berlin`). */
export function readTimeZone(inputs: Record<string, unknown>, name: string): string {
  const value = readText(inputs, name).trim();
  if (!isTimeZone(value)) throw new TemplateInputError(name, `"${value.slice(0, 100)}" is not a time zone name such as Europe/Berlin`);
  return value;
}
