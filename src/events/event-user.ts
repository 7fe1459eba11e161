/** A payload's id field as stored: a non-empty string of at most 100 characters, else null. */
export const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 && value.length <= 100 ? value : null);

/** The user a Clockify payload is about (the events' user_id column; a member sees only their own events). */
export function eventUserId(payload: unknown): string | null {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const body = (payload && typeof payload === 'object' ? payload : {}) as Record<string, any>;
  return str(body.userId) ?? str(body.user?.id) ?? str(body.owner?.userId) ?? null;
}
