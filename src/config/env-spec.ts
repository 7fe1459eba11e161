/**
 * A declarative table of environment variables: every variable the product reads is listed once,
 * with how to parse it and what it means, so validation errors and `.env.example` come from one place.
 */
export interface EnvVar<T> {
  name: string;
  description: string;
  /** Text shown in .env.example; undefined means "commented out, no default". */
  example?: string;
  secret?: boolean;
  parse(raw: string): T;
  /** What a valid value looks like, for error messages. */
  expects: string;
  /** Other names read when `name` is unset (the Python system's names); using one is warned about at start-up. */
  aliases?: string[];
  /** When several aliases are set (and `name` is not): how their values become one. Default: the first set. */
  combine?: (values: T[]) => T;
}

export class ConfigError extends Error {
  constructor(public readonly problems: { name: string; message: string }[]) {
    super('Invalid configuration:\n' + problems.map((problem) => `  - ${problem.name}: ${problem.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

export const parsers = {
  string: (raw: string) => raw,
  integer(min: number, max: number) {
    return (raw: string) => {
      if (!/^-?\d+$/.test(raw.trim())) throw new Error('not an integer');
      const value = Number(raw);
      if (value < min || value > max) throw new Error(`out of range ${min}..${max}`);
      return value;
    };
  },
  number(min: number, max: number) {
    return (raw: string) => {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) throw new Error('not a number');
      if (value < min || value > max) throw new Error(`out of range ${min}..${max}`);
      return value;
    };
  },
  boolean(raw: string): boolean {
    const value = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    throw new Error('not a boolean');
  },
  oneOf<T extends string>(values: readonly T[]) {
    return (raw: string): T => {
      if (!(values as readonly string[]).includes(raw)) throw new Error(`not one of ${values.join(', ')}`);
      return raw as T;
    };
  },
  httpUrl(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error('not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not an http(s) URL');
    return raw.replace(/\/+$/, '');
  },
  list(raw: string): string[] {
    return raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  },
  databaseUrl(raw: string): string {
    const url = fromSqlAlchemyUrl(raw);
    if (/^(postgres|postgresql):\/\//.test(url) || /^sqlite:/.test(url) || url === ':memory:') return url;
    throw new Error('not a postgres:// or sqlite: URL');
  },
};

/**
 * SQLAlchemy database URLs (the Python system's form) as ours: the driver suffix goes
 * (`postgresql+asyncpg://` is `postgresql://`), and `sqlite+aiosqlite:///./x.db` (three slashes: a
 * path relative to the working directory) is `sqlite:./x.db`, four slashes an absolute path. Our
 * own forms pass through unchanged.
 */
export function fromSqlAlchemyUrl(raw: string): string {
  const driver = /^(postgres(?:ql)?|sqlite)\+[a-z0-9_]+:/i.exec(raw);
  const url = driver ? `${driver[1]!.toLowerCase()}:${raw.slice(driver[0].length)}` : raw;
  if (!driver && !/^sqlite:\/\/\/\.\.?\//.test(url)) return url;
  if (!url.startsWith('sqlite:')) return url;
  const path = url.replace(/^sqlite:\/\/\//, '');
  if (path === url) return url;
  if (path === ':memory:' || path === '') return ':memory:';
  return `sqlite:${path}`;
}

/** Reads variables from `source`, collecting every problem before failing. */
export class EnvReader {
  readonly problems: { name: string; message: string }[] = [];
  /** Aliases that supplied a value, with the name to use instead. */
  readonly aliasesUsed = new Map<string, string>();
  constructor(private readonly source: Record<string, string | undefined>) {}

  optional<T>(spec: EnvVar<T>): T | undefined {
    const own = this.parseOne(spec, spec.name);
    if (own.present) return own.value;
    const values: T[] = [];
    for (const alias of spec.aliases ?? []) {
      const found = this.parseOne(spec, alias);
      if (!found.present) continue;
      this.aliasesUsed.set(alias, spec.name);
      if (found.value !== undefined) values.push(found.value);
    }
    if (values.length === 0) return undefined;
    return spec.combine ? spec.combine(values) : values[0];
  }

  private parseOne<T>(spec: EnvVar<T>, name: string): { present: boolean; value?: T } {
    const raw = this.source[name];
    if (raw === undefined || raw === '') return { present: false };
    try {
      return { present: true, value: spec.parse(raw) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // Never echo a secret's value back, even when it is malformed.
      const shown = spec.secret ? '' : ` (got ${JSON.stringify(raw.length > 80 ? raw.slice(0, 80) + '…' : raw)})`;
      this.problems.push({ name, message: `${reason}${shown}; expected ${spec.expects}` });
      return { present: true };
    }
  }

  withDefault<T>(spec: EnvVar<T>, fallback: T): T {
    const value = this.optional(spec);
    return value === undefined ? fallback : value;
  }

  raw(name: string): string | undefined {
    const value = this.source[name];
    return value === '' ? undefined : value;
  }
}
