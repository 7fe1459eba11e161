/**
 * Addresses of fields in an event payload, as the flow editor inserts them: a JSONPath for
 * conditions (`$.project.name`, `$.tagIds[0]`) and a template for action fields (`{{ event.project.name }}`).
 */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function toJsonPath(segments: readonly PathSegment[]): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) path += `.${segment}`;
    else path += `['${segment.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return path;
}

/** The template expression for a field: `{{ event.tags[0].id }}`, `{{ event["odd key"] }}`. */
export function toTemplate(segments: readonly PathSegment[]): string {
  let expression = 'event';
  for (const segment of segments) {
    if (typeof segment === 'number') expression += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) expression += `.${segment}`;
    else expression += `[${JSON.stringify(segment)}]`;
  }
  return `{{ ${expression} }}`;
}

/** Insert text into a value at the caret, replacing any selection; returns the new value and caret. */
export function insertAt(
  value: string,
  selectionStart: number | null,
  selectionEnd: number | null,
  text: string,
): { value: string; caret: number } {
  const start = selectionStart ?? value.length;
  const end = selectionEnd ?? start;
  return { value: value.slice(0, start) + text + value.slice(end), caret: start + text.length };
}

/** Whether a caret position in JSON text is inside a string literal (so a template needs no quotes). */
export function insideJsonString(text: string, position: number): boolean {
  let inside = false;
  for (let index = 0; index < position && index < text.length; index++) {
    const char = text[index];
    if (char === '\\' && inside) index++;
    else if (char === '"') inside = !inside;
  }
  return inside;
}
