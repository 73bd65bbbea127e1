// The engine's multiplexed log stream: 8-byte headers (stream, size) before
// each entry; with `timestamps`, each entry starts with its RFC 3339 time. Pure.

/** One log entry. */
export interface LogEntry {
  readonly stream: 'stdout' | 'stderr';
  /** RFC 3339 with fixed nanoseconds (`2026-01-02T03:04:05.123456789Z`): sorts as a string. */
  readonly timestamp: string;
  readonly data: Buffer;
}

/** Splits a multiplexed stream into entries; feed it chunks as they come. */
export class LogFrameParser {
  private pending: Buffer = Buffer.alloc(0);

  /** The complete entries in what has arrived so far. */
  push(chunk: Buffer): LogEntry[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const entries: LogEntry[] = [];
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const kind = this.pending[0];
      const payload = this.pending.subarray(8, 8 + size);
      this.pending = this.pending.subarray(8 + size);
      const space = payload.indexOf(0x20);
      const timestamp = space < 0 ? payload.toString() : payload.subarray(0, space).toString();
      const data = space < 0 ? Buffer.alloc(0) : payload.subarray(space + 1);
      entries.push({ stream: kind === 2 ? 'stderr' : 'stdout', timestamp, data });
    }
    return entries;
  }
}

/** `since` for the engine (seconds.nanoseconds) from an RFC 3339 timestamp; undefined when it is not one. */
export function sinceParam(timestamp: string): string | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(timestamp);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}Z`) / 1000;
  return `${seconds}.${(m[2] ?? '').padEnd(9, '0')}`;
}
