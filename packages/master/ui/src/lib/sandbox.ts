// Sandbox paths: a task's run directories and file names. Pure.
import type { BrowseEntry } from './types.js';

/** The last path segment. */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** The path without its last segment ('' at the top). */
export function parentPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i < 0 ? '' : trimmed.slice(0, i);
}

/** `a` joined with `b` by one slash. */
export function joinPath(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return `${a.replace(/\/+$/, '')}/${b.replace(/^\/+/, '')}`;
}

/** Whether a browse entry is a directory. */
export function isDirectory(entry: Pick<BrowseEntry, 'mode'>): boolean {
  return entry.mode.startsWith('d');
}

/** The newest `run-<n>` directory in a listing of a task's sandbox, or undefined when there is none. */
export function latestRun(entries: readonly BrowseEntry[]): string | undefined {
  let best: { n: number; path: string } | undefined;
  for (const e of entries) {
    const m = /^run-(\d+)$/.exec(baseName(e.path));
    if (!m || !isDirectory(e)) continue;
    const n = Number(m[1]);
    if (!best || n > best.n) best = { n, path: e.path };
  }
  return best?.path;
}

/** Directories first, then files, each by name. */
export function sortEntries(entries: readonly BrowseEntry[]): BrowseEntry[] {
  return entries
    .slice()
    .sort(
      (a, b) => Number(isDirectory(b)) - Number(isDirectory(a)) || baseName(a.path).localeCompare(baseName(b.path)),
    );
}
