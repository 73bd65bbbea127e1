// Principals with secrets and bearer tokens, and the one set of rules they
// are checked by: for the master's `--credentials`, Marathon's and Chronos'
// `--http_credentials*`, and a framework's or an agent's own credential.
// Errors name the source and the entry, never a secret. Pure.
import { CredentialsError } from './errors.js';

/**
 * A principal and its secret (HTTP basic's user and password). A
 * framework's or an agent's credential is one the master lists in its
 * `--credentials` file: needed when the master runs with
 * `--authenticate_frameworks` (or `--authenticate_agents`); the principal is
 * also what its ACLs name.
 */
export interface Credential {
  /** The principal (no `:` and no white space), e.g. `marathon`. */
  principal: string;
  /** The secret; never logged. */
  secret: string;
}

/** A bearer token and the principal it stands for. */
export interface BearerToken {
  /** The principal the token authenticates as. */
  principal: string;
  /** The token (no white space); never logged. */
  token: string;
}

/**
 * Principals with their secrets, and bearer tokens: what a credentials file
 * holds, and the master's `credentials` option.
 */
export interface CredentialsSpec {
  /** Principals and secrets (HTTP basic, and frameworks' and agents' credentials). */
  credentials: readonly Credential[];
  /** Bearer tokens (operators of the master, callers of a REST API). */
  tokens?: readonly BearerToken[];
}

/** Credentials as read: both lists, either possibly empty. */
export interface ParsedCredentials {
  credentials: Credential[];
  tokens: BearerToken[];
}

/**
 * What differs between the forms of credentials files. Mesos' `--credentials`
 * ({@link MESOS_CREDENTIAL_RULES}) wants tokens of 16 characters or more and
 * `principal secret` lines of exactly two fields; Marathon's and Chronos'
 * `--http_credentials_file` ({@link HTTP_API_CREDENTIAL_RULES}) takes any
 * token, and a line's secret runs to the end of the line, spaces included.
 */
export interface CredentialRules {
  /** The shortest bearer token accepted. */
  readonly minTokenLength: number;
  /** Whether the secret of a `principal secret` line may hold white space (the rest of the line). */
  readonly secretsWithSpaces: boolean;
}

/** The master's `--credentials` file (Mesos' form). */
export const MESOS_CREDENTIAL_RULES: CredentialRules = { minTokenLength: 16, secretsWithSpaces: false };

/** Marathon's and Chronos' `--http_credentials_file` and `--http_tokens_file`. */
export const HTTP_API_CREDENTIAL_RULES: CredentialRules = { minTokenLength: 1, secretsWithSpaces: true };

const CREDENTIALS_SHAPE = '{"credentials": [{"principal", "secret"}], "tokens": [{"principal", "token"}]}';
const TOKENS_SHAPE = '{"tokens": [{"principal", "token"}]}';

/** @internal */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The error of one entry: `ENTRY PROBLEM` (`ENTRY: PROBLEM` when the problem is a sentence of its own). @internal */
export function entryError(
  source: string,
  entry: string | undefined,
  problem: string,
  sentence = false,
): CredentialsError {
  const text = entry === undefined ? problem : `${entry}${sentence ? ':' : ''} ${problem}`;
  return new CredentialsError(source, text, entry);
}

/** Throws unless `principal` can be one: non-empty, without `:` (HTTP basic splits there) or white space. @internal */
export function checkPrincipal(source: string, entry: string | undefined, principal: string): void {
  let problem: string | undefined;
  if (principal === '') problem = 'the principal must be non-empty';
  else if (principal.includes(':')) {
    problem = `principal '${principal}' may not contain ':' (HTTP basic authentication cannot carry a principal that contains ':')`;
  } else if (/\s/.test(principal)) problem = `principal '${principal}' may not contain white space`;
  if (problem !== undefined) throw entryError(source, entry, problem, true);
}

/** Throws unless `token` is long enough and has no white space. @internal */
export function checkToken(
  source: string,
  entry: string,
  principal: string,
  token: string,
  rules: CredentialRules,
): void {
  if (token !== '' && token.length >= rules.minTokenLength && !/\s/.test(token)) return;
  const needs =
    rules.minTokenLength > 1
      ? `a "token" of ${rules.minTokenLength} characters or more, without spaces`
      : 'a non-empty "token" without spaces';
  throw entryError(source, entry, `(principal '${principal}') needs ${needs}`);
}

function onlyKeys(json: Record<string, unknown>, keys: readonly string[], shape: string, source: string): void {
  for (const key of Object.keys(json)) {
    if (!keys.includes(key)) throw new CredentialsError(source, `${key} is not a field (must be ${shape})`, key);
  }
}

function listOf(json: Record<string, unknown>, key: 'credentials' | 'tokens', source: string): unknown[] {
  const list = json[key];
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    const shape = key === 'credentials' ? '{"principal", "secret"}' : '{"principal", "token"}';
    throw new CredentialsError(source, `${key} must be a list of ${shape}`, key);
  }
  return list;
}

/** An entry's principal (checked) and its `secret` or `token` (a string). */
function pairOf(item: unknown, key: 'secret' | 'token', entry: string, source: string): [string, string] {
  const record = isObject(item) ? item : {};
  const principal = record['principal'];
  const value = record[key];
  if (typeof principal !== 'string' || typeof value !== 'string') {
    throw entryError(source, entry, `must have string "principal" and "${key}"`);
  }
  checkPrincipal(source, entry, principal);
  return [principal, value];
}

function credentialOf(item: unknown, entry: string, source: string): Credential {
  const [principal, secret] = pairOf(item, 'secret', entry, source);
  if (secret === '') throw entryError(source, entry, `(principal '${principal}') needs a non-empty "secret"`);
  return { principal, secret };
}

function tokenOf(item: unknown, entry: string, source: string, rules: CredentialRules): BearerToken {
  const [principal, token] = pairOf(item, 'token', entry, source);
  checkToken(source, entry, principal, token, rules);
  return { principal, token };
}

/**
 * Checks what every form shares: a principal has one secret, a token is one
 * principal's, and somebody is listed. Returns its input. @internal
 */
export function checkLists(parsed: ParsedCredentials, source: string): ParsedCredentials {
  const principals = new Set<string>();
  parsed.credentials.forEach(({ principal }, i) => {
    if (principals.has(principal))
      throw entryError(source, `credentials[${i}]`, `principal '${principal}' is listed twice`);
    principals.add(principal);
  });
  const tokens = new Set<string>();
  parsed.tokens.forEach(({ principal, token }, i) => {
    if (tokens.has(token))
      throw entryError(source, `tokens[${i}]`, `two entries share one token (principal '${principal}')`, true);
    tokens.add(token);
  });
  if (parsed.credentials.length === 0 && parsed.tokens.length === 0) {
    throw new CredentialsError(source, 'credentials lists nobody: add {"principal": ..., "secret": ...}');
  }
  return parsed;
}

/**
 * Checks credentials given as JSON (a parsed file, or the master's
 * `credentials` option): {@link CredentialsSpec}'s shape, or one
 * `{"principal", "secret"}`. `source` names the input in errors.
 *
 * @throws CredentialsError naming the entry, never a secret
 */
export function checkCredentials(
  json: unknown,
  source = 'credentials',
  rules: CredentialRules = MESOS_CREDENTIAL_RULES,
): ParsedCredentials {
  if (!isObject(json)) throw new CredentialsError(source, `must be ${CREDENTIALS_SHAPE}`);
  if ('principal' in json || 'secret' in json) {
    onlyKeys(json, ['principal', 'secret'], '{"principal", "secret"}', source);
    return checkLists({ credentials: [credentialOf(json, 'the credential', source)], tokens: [] }, source);
  }
  onlyKeys(json, ['credentials', 'tokens'], CREDENTIALS_SHAPE, source);
  return checkLists(
    {
      credentials: listOf(json, 'credentials', source).map((c, i) => credentialOf(c, `credentials[${i}]`, source)),
      tokens: listOf(json, 'tokens', source).map((t, i) => tokenOf(t, `tokens[${i}]`, source, rules)),
    },
    source,
  );
}

/**
 * Checks a tokens file's JSON: `{"tokens": [{"principal", "token"}]}`.
 *
 * @throws CredentialsError
 */
export function checkTokens(json: unknown, source: string, rules: CredentialRules): BearerToken[] {
  if (!isObject(json)) throw new CredentialsError(source, `must be ${TOKENS_SHAPE}`);
  onlyKeys(json, ['tokens'], TOKENS_SHAPE, source);
  const tokens = listOf(json, 'tokens', source).map((t, i) => tokenOf(t, `tokens[${i}]`, source, rules));
  if (tokens.length === 0)
    throw new CredentialsError(source, 'tokens lists nobody: add {"principal": ..., "token": ...}');
  return checkLists({ credentials: [], tokens }, source).tokens;
}

/**
 * Checks one credential given as an option or read from the environment:
 * a principal that can be one, and a non-empty secret.
 *
 * @throws CredentialsError naming `source`, never the secret
 */
export function checkCredential(credential: Credential, source: string): Credential {
  const principal = credential.principal ?? '';
  const secret = credential.secret ?? '';
  checkPrincipal(source, undefined, principal);
  if (secret === '') throw new CredentialsError(source, `the secret of principal '${principal}' is empty`);
  return { principal, secret };
}
