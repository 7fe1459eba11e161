import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString, LogFn, Logger } from 'pino';

/** What pino's level methods take: an object or error with an optional message, or a message. */
type LogArguments = Parameters<LogFn>;

/**
 * A request's logger that becomes a real pino child only when something is logged through it.
 * Fastify gives every request a child logger, and making one (its bindings serialised) costs a few
 * microseconds, while most requests (every accepted webhook) log nothing.
 */
export class LazyChildLogger {
  #child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly childBindings: Bindings,
    private readonly childOptions: ChildLoggerOptions,
  ) {}

  private get logger(): Logger {
    return (this.#child ??= this.parent.child(this.childBindings, this.childOptions));
  }

  get level(): LevelWithSilentOrString {
    return this.#child?.level ?? this.childOptions.level ?? this.parent.level;
  }

  set level(level: LevelWithSilentOrString) {
    this.logger.level = level;
  }

  isLevelEnabled(level: LevelWithSilentOrString): boolean {
    return this.#child || this.childOptions.level ? this.logger.isLevelEnabled(level) : this.parent.isLevelEnabled(level);
  }

  bindings(): Bindings {
    return this.#child ? this.#child.bindings() : { ...this.parent.bindings(), ...this.childBindings };
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.logger.child(bindings, options);
  }

  fatal(...args: LogArguments): void {
    this.logger.fatal(...args);
  }

  error(...args: LogArguments): void {
    this.logger.error(...args);
  }

  warn(...args: LogArguments): void {
    this.logger.warn(...args);
  }

  info(...args: LogArguments): void {
    this.logger.info(...args);
  }

  debug(...args: LogArguments): void {
    this.logger.debug(...args);
  }

  trace(...args: LogArguments): void {
    this.logger.trace(...args);
  }

  silent(): void {}
}
