// Artifacts fetched into the sandbox: Marathon's `fetch` objects, and the
// older `uris` strings, which become fetch entries (archives extracted).

import type { FetchUri } from './app-definition.js';
import { Problems, childPath, isObject, jsonType } from './problems.js';
import { optString, readArray, readBool, readStringArray } from './readers.js';

const ARCHIVES = ['.tgz', '.tar.gz', '.tbz2', '.tar.bz2', '.txz', '.tar.xz', '.zip', '.tar'];

/** True when Mesos' fetcher would extract `uri` (an archive by its extension). */
export function isArchive(uri: string): boolean {
  const lower = uri.toLowerCase();
  return ARCHIVES.some((ext) => lower.endsWith(ext));
}

/** Parses `fetch` and `uris` of the app object (not both). */
export function parseFetch(app: Record<string, unknown>, problems: Problems): FetchUri[] {
  const fetch = readArray(app, 'fetch', '', problems, (f, path): FetchUri | undefined => {
    if (!isObject(f)) {
      problems.add(path, `expected an object, got ${jsonType(f)}`);
      return undefined;
    }
    const uri = optString(f, 'uri', path, problems);
    if (uri === undefined || uri === '') {
      problems.add(childPath(path, 'uri'), 'must not be empty');
      return undefined;
    }
    const outputFile = optString(f, 'outputFile', path, problems);
    return {
      uri,
      extract: readBool(f, 'extract', path, problems, true),
      executable: readBool(f, 'executable', path, problems, false),
      cache: readBool(f, 'cache', path, problems, false),
      ...(outputFile === undefined ? {} : { outputFile }),
    };
  });
  const uris = readStringArray(app, 'uris', '', problems);
  if (uris !== undefined && uris.length > 0 && fetch !== undefined && fetch.length > 0) {
    problems.add('/uris', 'may not be set in conjunction with fetch');
  }
  if (fetch !== undefined && fetch.length > 0) return fetch;
  return (uris ?? []).map((uri) => ({ uri, extract: isArchive(uri), executable: false, cache: false }));
}
