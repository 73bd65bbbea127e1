// A logger that keeps its lines, for tests that wait on what the code logged.
import type { Logger } from '../../src/index.js';

export interface CapturedLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  msg: string;
  fields?: Record<string, unknown>;
}

export function captureLogger(lines: CapturedLine[] = []): Logger & { lines: CapturedLine[] } {
  const logger: Logger & { lines: CapturedLine[] } = {
    lines,
    error: (msg, fields) => lines.push({ level: 'error', msg, ...(fields ? { fields } : {}) }),
    warn: (msg, fields) => lines.push({ level: 'warn', msg, ...(fields ? { fields } : {}) }),
    info: (msg, fields) => lines.push({ level: 'info', msg, ...(fields ? { fields } : {}) }),
    debug: (msg, fields) => lines.push({ level: 'debug', msg, ...(fields ? { fields } : {}) }),
    child: () => logger,
  };
  return logger;
}
