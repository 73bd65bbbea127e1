// What to do with each CommandInfo URI, decided before anything is created:
// the source (http, https or a local file), where it lands in the sandbox,
// whether to extract it and how, the executable bit and the cache. Pure.
import type { mesocosm } from '@mesocosm/protocol';
import { UriValidationError } from './fetch-errors.js';

type IURI = mesocosm.v1.CommandInfo.IURI;

/** How an archive is unpacked. */
export type ArchiveKind = 'tar' | 'zip';

/** One URI, validated. */
export interface FetchStep {
  /** The URI as the framework gave it. */
  readonly uri: string;
  readonly source: { readonly kind: 'http'; readonly url: string } | { readonly kind: 'file'; readonly path: string };
  /** Where the file lands, relative to the sandbox, normalised (no `.`/`..`, no leading `/`). */
  readonly target: string;
  /** Set when `extract` was asked for and the name is an archive's. */
  readonly archive?: ArchiveKind;
  readonly executable: boolean;
  readonly cache: boolean;
}

const ARCHIVES: readonly [string, ArchiveKind][] = [
  ['.tar.gz', 'tar'],
  ['.tgz', 'tar'],
  ['.tar', 'tar'],
  ['.tar.bz2', 'tar'],
  ['.tbz2', 'tar'],
  ['.tar.xz', 'tar'],
  ['.txz', 'tar'],
  ['.zip', 'zip'],
];

/** The archive kind of a file name, from its suffix. */
export function archiveKind(name: string): ArchiveKind | undefined {
  const lower = name.toLowerCase();
  return ARCHIVES.find(([suffix]) => lower.endsWith(suffix))?.[1];
}

/** `path` split on `/`, without empty and `.` parts; undefined when a `..` would climb out. */
function normalise(path: string): string | undefined {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(p);
  }
  return parts.join('/');
}

function lastSegment(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? '';
}

function source(uri: string): FetchStep['source'] {
  if (uri.startsWith('/')) return { kind: 'file', path: uri };
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined)
    throw new UriValidationError(uri, 'is a relative path: give an absolute path or a file:///absolute/path URI');
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new UriValidationError(uri, 'is not a valid URI');
  }
  if (scheme === 'http' || scheme === 'https') return { kind: 'http', url: url.href };
  if (scheme === 'file') {
    // file://relative/x parses with host 'relative': the path was meant to be relative.
    if (url.host !== '' && url.host !== 'localhost')
      throw new UriValidationError(
        uri,
        `is not an absolute file URI (host '${url.host}'): write file:///absolute/path (three slashes)`,
      );
    return { kind: 'file', path: decodeURIComponent(url.pathname) };
  }
  throw new UriValidationError(
    uri,
    `has the unsupported scheme '${scheme}': this agent fetches http://, https:// and file:// (absolute paths) URIs`,
  );
}

/** The file name a URI lands under when no output_file is given. */
function defaultName(uri: string, src: FetchStep['source']): string {
  const name = src.kind === 'file' ? lastSegment(src.path) : decodeURIComponent(lastSegment(new URL(src.url).pathname));
  if (name === '' || name === '.' || name === '..' || name.includes('\0'))
    throw new UriValidationError(uri, 'does not end with a file name: set output_file');
  return name;
}

/** Validates one URI and decides what to do with it. Throws {@link UriValidationError}. */
export function fetchStep(u: IURI): FetchStep {
  const uri = (u.value ?? '').trim();
  if (uri === '') throw new UriValidationError(uri, 'is empty');
  const src = source(uri);
  let target: string;
  const output = u.outputFile ?? '';
  if (output !== '') {
    if (output.startsWith('/'))
      throw new UriValidationError(uri, `output_file '${output}' is absolute: give a path relative to the sandbox`);
    const n = normalise(output);
    if (n === undefined) throw new UriValidationError(uri, `output_file '${output}' escapes the sandbox`);
    if (n === '' || output.endsWith('/'))
      throw new UriValidationError(uri, `output_file '${output}' names a directory: give a file name`);
    if (n.includes('\0')) throw new UriValidationError(uri, `output_file '${output}' contains NUL`);
    target = n;
  } else target = defaultName(uri, src);
  const srcName = src.kind === 'file' ? src.path : new URL(src.url).pathname;
  const archive = u.extract ? (archiveKind(target) ?? archiveKind(srcName)) : undefined;
  return {
    uri,
    source: src,
    target,
    ...(archive ? { archive } : {}),
    executable: u.executable ?? false,
    cache: u.cache ?? false,
  };
}

/** Every URI's step, in order; throws {@link UriValidationError} on the first bad one. */
export function fetchPlan(uris: readonly IURI[] | null | undefined): FetchStep[] {
  return (uris ?? []).map(fetchStep);
}

/** Why a task's (or its executor's) URIs cannot be fetched, or undefined when they can. */
export function fetchProblem(uris: readonly IURI[] | null | undefined): string | undefined {
  try {
    fetchPlan(uris);
    return undefined;
  } catch (err) {
    if (err instanceof UriValidationError) return err.message;
    throw err;
  }
}
