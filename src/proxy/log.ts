// Logging hook. Default: silent. Events at `info` name targets but never the client address;
// only `debug` carries client addresses, so a default or `info` log cannot link a client IP to
// the node it talks to (spec §5.6).

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface ProxyLogger {
  /** Most verbose level the sink wants; events above it are not even built. */
  readonly level: LogLevel | 'quiet';
  log(level: LogLevel, event: string, fields: LogFields): void;
}

const RANK: Record<LogLevel | 'quiet', number> = { quiet: 0, error: 1, warn: 2, info: 3, debug: 4 };

export function wants(logger: ProxyLogger | undefined, level: LogLevel): logger is ProxyLogger {
  return logger !== undefined && RANK[logger.level] >= RANK[level];
}

export function isLogLevel(s: string): s is LogLevel | 'quiet' {
  return Object.hasOwn(RANK, s);
}
