// Reading credentials from files: the master's `--credentials` file, and the
// text of any credentials, tokens or secret file (an unreadable file is an
// error naming it, in the words of whoever reads it).
import { readFileSync } from 'node:fs';
import type { ParsedCredentials } from './credentials.js';
import { mesosCredentialsSource, parseCredentialsText } from './credentials-text.js';
import { CredentialsError } from './errors.js';

/**
 * The text of `path`; an unreadable file throws what `fail` makes of the
 * reason (the errno code, e.g. `ENOENT`). @internal
 */
export function readTextFile(path: string, fail: (why: string) => Error): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw fail((err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err)));
  }
}

/**
 * Reads the master's `--credentials` file: `{"credentials": [{"principal", "secret"}], "tokens": [...]}`
 * or `principal secret` lines (see {@link parseCredentialsText}).
 *
 * @throws CredentialsError naming the file and the entry, never a secret
 */
export function loadCredentialsFile(path: string): ParsedCredentials {
  const text = readTextFile(
    path,
    (why) => new CredentialsError(mesosCredentialsSource(path), `(file) cannot be read (${why})`),
  );
  return parseCredentialsText(text, path);
}
