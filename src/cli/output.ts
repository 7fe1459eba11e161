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

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
