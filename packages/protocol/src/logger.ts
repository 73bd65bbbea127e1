// A small structured logger shared by the daemons. Lines go to stderr so that
// stdout stays free for machine-readable output (e.g. the `ready` line).
// The level comes from MESOCOSM_LOG (error | warn | info | debug), default info.

/** Log levels, most severe first. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** What every component logs through. */
export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  /** A logger whose lines carry `component` (e.g. `master.allocator`). */
  child(component: string): Logger;
}

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

function levelFromEnv(): LogLevel {
  const v = process.env['MESOCOSM_LOG'];
  return v === 'error' || v === 'warn' || v === 'info' || v === 'debug' ? v : 'info';
}

/** A logger writing `time level component: message {fields}` lines to stderr. */
export function createLogger(component: string, level: LogLevel = levelFromEnv()): Logger {
  const write = (l: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[l] > ORDER[level]) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`${new Date().toISOString()} ${l.toUpperCase()} ${component}: ${msg}${extra}\n`);
  };
  return {
    error: (m, f) => write('error', m, f),
    warn: (m, f) => write('warn', m, f),
    info: (m, f) => write('info', m, f),
    debug: (m, f) => write('debug', m, f),
    child: (c) => createLogger(`${component}.${c}`, level),
  };
}

/** A logger that drops everything (tests, libraries embedded quietly). */
export const silentLogger: Logger = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => silentLogger,
};

/**
 * A logger that keeps every line, `level message {fields}`, in `lines` (also
 * its `lines` property): for tests that check what was, or was not, logged.
 */
export function capturingLogger(lines: string[] = []): Logger & { readonly lines: string[] } {
  const keep =
    (level: LogLevel) =>
    (msg: string, fields?: Record<string, unknown>): void =>
      void lines.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger & { readonly lines: string[] } = {
    lines,
    error: keep('error'),
    warn: keep('warn'),
    info: keep('info'),
    debug: keep('debug'),
    child: () => logger,
  };
  return logger;
}
