/**
 * The live API's known deviations from its own spec, the only ones the sandbox's answer validation
 * allows (listed with their reasons in sandbox/README.md, "Deviations from the spec"). Everything else
 * a response schema declares must be present and of the declared type.
 */

/**
 * Null in any property of an answer. The live API writes absent references and unset values as null
 * (`taskId`, `projectId`, a running timer's `timeInterval.end` and `duration`, `costRate`, `note`),
 * although the spec marks nothing nullable.
 */
export const NULL_FOR_ABSENT_VALUES = true;

/**
 * Declared fields an answer may leave out, by `Schema.field` (or `*.field` for every schema), each with
 * the reason. Kept short on purpose: a field belongs here only when Clockify itself leaves it out.
 */
export const ABSENT_FIELDS_ALLOWED: Readonly<Record<string, string>> = {};

/**
 * Operations whose answer does not match the spec at all, with the reason: validation of their answer
 * is skipped (their request is still checked).
 */
export const ANSWER_NOT_AS_DECLARED: Readonly<Record<string, string>> = {
  getCreatedEntityInfo: 'the spec declares `type: string` for a JSON answer; Clockify answers a JSON object (`{response, cursor}`)',
  getUpdatedEntityInfo: 'the spec declares `type: string` for a JSON answer; Clockify answers a JSON object (`{response, cursor}`)',
};

/** Whether `field` of schema `schemaName` (undefined for inline schemas) may be absent. */
export function absentAllowed(schemaName: string | undefined, field: string): boolean {
  return (schemaName !== undefined && `${schemaName}.${field}` in ABSENT_FIELDS_ALLOWED) || `*.${field}` in ABSENT_FIELDS_ALLOWED;
}
