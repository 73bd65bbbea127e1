// Credentials as text: one parser for a credentials or tokens file (JSON in
// the master's shape, or `principal secret` / `principal:secret` lines, `#`
// starting a comment) and for `--http_credentials user:password,...`.
// Errors name the source and the entry, never a secret. Pure.
import {
  checkCredentials,
  checkLists,
  checkPrincipal,
  checkToken,
  checkTokens,
  entryError,
  HTTP_API_CREDENTIAL_RULES,
  MESOS_CREDENTIAL_RULES,
  type BearerToken,
  type Credential,
  type CredentialRules,
  type ParsedCredentials,
} from './credentials.js';
import { CredentialsError } from './errors.js';

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // The parser's message can quote the text, a secret: keep only where it stopped.
    const position = /position \d+/.exec(err instanceof Error ? err.message : '')?.[0];
    const at = position === undefined ? '' : `at ${position}: `;
    throw new CredentialsError(source, `is not valid JSON (${at}check its quotes, commas and brackets)`);
  }
}

/** A line's principal and secret: `principal secret`, or `principal:secret`. */
function splitLine(line: string, rules: CredentialRules): [string, string] | undefined {
  if (rules.secretsWithSpaces) {
    const m = /^([^\s:]*)(?::|\s+)(.*)$/.exec(line);
    return m === null ? undefined : [m[1] ?? '', m[2] ?? ''];
  }
  const fields = line.split(/\s+/);
  if (fields.length === 2) return [fields[0] ?? '', fields[1] ?? ''];
  const colon = line.indexOf(':');
  return fields.length === 1 && colon >= 0 ? [line.slice(0, colon), line.slice(colon + 1)] : undefined;
}

interface Line {
  readonly entry: string;
  readonly principal: string;
  readonly secret: string;
}

/** The lines of `text` that are not blank or comments, split, their principals checked. */
function linesOf(text: string, source: string, rules: CredentialRules): Line[] {
  const out: Line[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const entry = `line ${i + 1}`;
    const pair = splitLine(line, rules);
    if (pair === undefined) {
      throw entryError(source, entry, `must be "principal secret" (two fields), has ${line.split(/\s+/).length}`);
    }
    checkPrincipal(source, entry, pair[0]);
    out.push({ entry, principal: pair[0], secret: pair[1] });
  });
  return out;
}

function nonEmptySecret(source: string, entry: string, principal: string, secret: string): Credential {
  if (secret === '') throw entryError(source, entry, `principal '${principal}' has an empty secret`, true);
  return { principal, secret };
}

/**
 * Parses a credentials file's text under `rules`: JSON
 * `{"credentials": [{"principal", "secret"}], "tokens": [{"principal", "token"}]}`
 * (either list), or one `{"principal", "secret"}`, or lines of
 * `principal secret` or `principal:secret` (`#` starts a comment).
 * `source` names the input in errors (`SOURCE: PROBLEM`).
 *
 * @throws CredentialsError naming the entry or line, never a secret
 */
export function parseCredentials(text: string, source: string, rules: CredentialRules): ParsedCredentials {
  const trimmed = text.trim();
  if (trimmed === '') throw new CredentialsError(source, 'is empty');
  if (trimmed.startsWith('{')) return checkCredentials(parseJson(trimmed, source), source, rules);
  const credentials = linesOf(text, source, rules).map((l) => nonEmptySecret(source, l.entry, l.principal, l.secret));
  return checkLists({ credentials, tokens: [] }, source);
}

/** How the master's errors name a credentials file (`credentials in FILE`), or its `credentials` option. @internal */
export const mesosCredentialsSource = (file?: string): string =>
  file === undefined ? 'credentials' : `credentials in ${file}`;

/**
 * Parses the master's `--credentials` file (Mesos' form: tokens of 16
 * characters or more, lines of exactly two fields). Errors read
 * `credentials in FILE: ...`.
 *
 * @throws CredentialsError
 */
export function parseCredentialsText(text: string, file?: string): ParsedCredentials {
  return parseCredentials(text, mesosCredentialsSource(file), MESOS_CREDENTIAL_RULES);
}

/**
 * Parses a REST API's credentials file (`--http_credentials_file`): the
 * master's form, any token, and a line's secret to the end of the line.
 * Errors read `SOURCE: ...`.
 *
 * @throws CredentialsError
 */
export function parseCredentialsFile(text: string, source: string): ParsedCredentials {
  return parseCredentials(text, source, HTTP_API_CREDENTIAL_RULES);
}

/**
 * Parses a tokens file (`--http_tokens_file`): `{"tokens": [{"principal", "token"}]}`
 * or `principal:token` (or `principal token`) lines.
 *
 * @throws CredentialsError
 */
export function parseTokensFile(
  text: string,
  source: string,
  rules: CredentialRules = HTTP_API_CREDENTIAL_RULES,
): BearerToken[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new CredentialsError(source, 'is empty');
  if (trimmed.startsWith('{')) return checkTokens(parseJson(trimmed, source), source, rules);
  const tokens = linesOf(text, source, rules).map(({ entry, principal, secret }) => {
    checkToken(source, entry, principal, secret, rules);
    return { principal, token: secret };
  });
  return checkLists({ credentials: [], tokens }, source).tokens;
}

/**
 * Parses `user:password[,user2:password2]` (`--http_credentials`): a
 * password may hold `:` but not `,` (a credentials file can).
 *
 * @throws CredentialsError naming the entry (by number and principal, never the secret)
 */
export function parseCredentialList(text: string, source = '--http_credentials'): Credential[] {
  const items = text.split(',').filter((e) => e.trim() !== '');
  if (items.length === 0) throw new CredentialsError(source, 'is empty: give user:password[,user2:password2]');
  const seen = new Set<string>();
  return items.map((item, i) => {
    const entry = `entry ${i + 1}`;
    const colon = item.indexOf(':');
    if (colon < 0) throw entryError(source, entry, 'is not user:password');
    const principal = item.slice(0, colon).trim();
    checkPrincipal(source, entry, principal);
    const credential = nonEmptySecret(source, entry, principal, item.slice(colon + 1));
    if (seen.has(principal)) {
      throw new CredentialsError(source, `principal '${principal}' has more than one password; give each one`, entry);
    }
    seen.add(principal);
    return credential;
  });
}
