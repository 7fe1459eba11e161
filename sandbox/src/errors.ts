/** An error answered in Clockify's shape: `{"message": "...", "code": N}`. */
export class ClockifyError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly code: number = statusCode,
  ) {
    super(message);
  }

  body(): { message: string; code: number } {
    return { message: this.message, code: this.code };
  }
}

export const notFound = (what: string): ClockifyError => new ClockifyError(404, `${what} not found`);
export const badRequest = (message: string): ClockifyError => new ClockifyError(400, message);
