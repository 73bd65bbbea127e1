// A task's sandbox files through the master's proxy of the agent's files API
// (GET /master/agents/{id}/files/{browse,read}?path=), and the pure helpers
// `mesocosm logs` builds on: the latest run directory, the last N lines.
import type { MasterClient } from './master-client.js';
import type { FileChunk, FileEntry } from './master-json.js';

/** The agent's largest `/files/read` answer; longer files are read in pieces. */
export const READ_CHUNK_BYTES = 1024 * 1024;

/** How much `--tail` reads back at a time while looking for line starts. */
const TAIL_CHUNK_BYTES = 64 * 1024;

/**
 * The path of the newest `run-<n>` directory among a sandbox's entries (the
 * highest n, as the agent numbers runs), or undefined when there is none. Pure.
 */
export function latestRunDir(entries: readonly FileEntry[]): string | undefined {
  let best: { path: string; n: number } | undefined;
  for (const e of entries) {
    const m = /(?:^|\/)run-(\d+)$/.exec(e.path);
    if (!m || !e.mode.startsWith('d')) continue;
    const n = Number(m[1]);
    if (!best || n > best.n) best = { path: e.path, n };
  }
  return best?.path;
}

/** The last `n` lines of `text`, keeping its final newline if it has one. Pure. */
export function lastLines(text: string, n: number): string {
  if (n <= 0 || text === '') return '';
  const ends = text.endsWith('\n');
  const lines = (ends ? text.slice(0, -1) : text).split('\n');
  const kept = lines.slice(-n).join('\n');
  return ends ? `${kept}\n` : kept;
}

/** Whether `text` (read back from the end of a file) already holds the starts of its last `n` lines. Pure. */
function holdsLines(text: string, n: number): boolean {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return body.split('\n').length > n;
}

/** Bytes of a chunk of `/files/read` data (sent as UTF-8 text). */
export function byteLength(data: string): number {
  return Buffer.byteLength(data, 'utf8');
}

/** One agent's sandboxes, read through the master. */
export class SandboxFiles {
  constructor(
    private readonly master: MasterClient,
    readonly agentId: string,
  ) {}

  private path(op: 'browse' | 'read'): string {
    return `/master/agents/${encodeURIComponent(this.agentId)}/files/${op}`;
  }

  /** The entries of directory `path`. */
  browse(path: string): Promise<FileEntry[]> {
    return this.master.get<FileEntry[]>(this.path('browse'), { path });
  }

  /** Up to `length` bytes (default: as many as the agent gives) of `path` from `offset`. */
  read(path: string, offset: number, length?: number): Promise<FileChunk> {
    return this.master.get<FileChunk>(this.path('read'), { path, offset, length });
  }

  /** The size of file `path` in bytes. */
  async size(path: string): Promise<number> {
    return (await this.master.get<FileChunk>(this.path('read'), { path, offset: -1 })).offset;
  }

  /** The last `n` lines of the first `size` bytes of `path`, read back from the end. */
  async tail(path: string, size: number, n: number): Promise<string> {
    let start = size;
    let text = '';
    while (start > 0 && !holdsLines(text, n)) {
      const length = Math.min(TAIL_CHUNK_BYTES, start);
      start -= length;
      text = (await this.read(path, start, length)).data + text;
    }
    return lastLines(text, n);
  }
}
