/** The list a for-each goes through: a template (`{{ event.tags }}`) or a plain path (`$.event.tags`). */
import { renderValue, type RenderResult, type TemplateContext } from '../../templates.js';

/** `$.event.tags` is read as `{{ event.tags }}`, so both spellings go through the one template engine. */
export function itemsTemplate(items: string): string {
  return items.startsWith('$.') ? `{{ ${items.slice(2)} }}` : items;
}

export type ItemsResult = { ok: true; items: unknown[]; missing: string[] } | { ok: false; error: string; missing: string[] };

export function renderItems(items: string, context: TemplateContext): ItemsResult {
  const rendered: RenderResult = renderValue(itemsTemplate(items), context);
  if (!rendered.ok) return { ok: false, error: `items: ${rendered.message}`, missing: rendered.missing };
  let value = rendered.value;
  // A template inside text renders a list as JSON text: take it back.
  if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      value = JSON.parse(value);
    } catch {
      // not a list: reported below
    }
  }
  if (value === undefined || value === null || value === '') return { ok: true, items: [], missing: rendered.missing };
  if (!Array.isArray(value)) return { ok: false, error: 'items: is not a list', missing: rendered.missing };
  return { ok: true, items: value, missing: rendered.missing };
}
