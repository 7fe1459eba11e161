/** Prints for people, or as one JSON document with --json, so scripts and humans read the same command. */
export class Output {
  constructor(private readonly json: boolean) {}

  info(message: string): void {
    if (!this.json) process.stdout.write(message + '\n');
  }

  step(message: string): void {
    if (!this.json) process.stdout.write(`  • ${message}\n`);
  }

  result(data: unknown, human?: string): void {
    if (this.json) process.stdout.write(JSON.stringify(data, null, 2) + '\n');
    else if (human !== undefined) process.stdout.write(human + '\n');
  }
}

/** A wrong verb, option or argument: one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Something the user can fix (a busy port, nothing running, a refused call): one line, exit 1, no stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
