// Authentication of a framework's REST API (Marathon's and Chronos'
// `--http_credentials`, `--http_credentials_file`, `--http_tokens_file`,
// `--http_acls`, `--http_realm`): the flags' values read and checked once at
// start, and the check of each request's `Authorization` header. ACL rules
// are each API's own; they come in through a parser the API gives.
import { basicChallenge } from './authorization-header.js';
import { CredentialStore, type Authentication } from './credential-store.js';
import { readTextFile } from './credential-files.js';
import type { BearerToken, Credential } from './credentials.js';
import { parseCredentialList, parseCredentialsFile, parseTokensFile } from './credentials-text.js';
import { CredentialsError } from './errors.js';

/** Who may call a REST API (HTTP basic credentials, bearer tokens), the realm of its challenge, and its ACL rules. */
export interface HttpAuthOptions<Rules = unknown> {
  /** HTTP basic credentials. */
  readonly credentials?: readonly Credential[];
  /** Bearer tokens. */
  readonly tokens?: readonly BearerToken[];
  /** The API's own ACL rules (`--http_acls`); absent: every authenticated principal may do everything. */
  readonly acls?: Rules;
  /** The realm of the `WWW-Authenticate` challenge (`--http_realm`); default: the API's own. */
  readonly realm?: string;
}

/**
 * The door of a REST API: checks each request's `Authorization` header
 * (HTTP basic or a bearer token), and holds the API's ACL, compiled by the
 * API (its rules are its own). An API extends it with how it answers a 401
 * and what a principal may see, as Marathon's and Chronos' `ApiGuard` do.
 */
export class HttpAuthGuard<Rules, Acl extends { readonly size: number }> {
  /** The `WWW-Authenticate` value of a 401. */
  readonly challenge: string;
  /** The API's ACL; undefined without rules (every authenticated principal may do everything). */
  protected readonly acl: Acl | undefined;
  private readonly store: CredentialStore;

  /**
   * @param compileAcl compiles `options.acls`, when given.
   * @throws CredentialsError without any credential or token (ACL rules name principals), or what `compileAcl` throws
   */
  constructor(options: HttpAuthOptions<Rules>, defaultRealm: string, compileAcl: (rules: Rules) => Acl) {
    if ((options.credentials ?? []).length === 0 && (options.tokens ?? []).length === 0) {
      throw new CredentialsError(
        'http auth',
        'ACLs and authentication need credentials or tokens (--http_credentials, --http_credentials_file or --http_tokens_file): rules name principals',
      );
    }
    this.store = new CredentialStore(options);
    this.challenge = basicChallenge(options.realm ?? defaultRealm);
    this.acl = options.acls === undefined ? undefined : compileAcl(options.acls);
  }

  /** What is on, for the start-up log line (no secrets). */
  describe(): Record<string, unknown> {
    return { principals: this.store.principals, aclRules: this.acl?.size ?? 'none (all allowed)' };
  }

  /** The principal of an `Authorization` header (HTTP basic or bearer), or why not. */
  authenticateHeader(header: string | undefined): Authentication {
    return this.store.authenticate(header);
  }
}

/** Where a REST API's credentials, tokens and ACLs come from (the flags' values). */
export interface HttpAuthSources {
  /** `--http_credentials user:password[,user2:password2]`. */
  readonly credentials?: string;
  /** `--http_credentials_file`: the master's JSON (`credentials`, and `tokens` too), or `principal:secret` lines. */
  readonly credentialsFile?: string;
  /** `--http_tokens_file`: `{"tokens": [{"principal", "token"}]}`, or `principal:token` lines. */
  readonly tokensFile?: string;
  /** `--http_acls`: the API's rules, e.g. `{"rules": [{"principal", "actions", "paths"}]}`. */
  readonly aclsFile?: string;
  /** `--http_realm`. */
  readonly realm?: string;
}

const read = (flag: string, file: string): string =>
  readTextFile(file, (why) => new CredentialsError(flag, `cannot read ${file} (${why})`));

function aclsOf<Rules>(file: string, parseAcls: (json: unknown, source: string) => Rules): Rules {
  let json: unknown;
  try {
    json = JSON.parse(read('--http_acls', file));
  } catch (err) {
    if (err instanceof CredentialsError) throw err;
    throw new CredentialsError('--http_acls', `${file} is not valid JSON: ${err instanceof Error ? err.message : ''}`);
  }
  return parseAcls(json, `--http_acls ${file}`);
}

/**
 * Reads and checks what `sources` name; undefined when none is given (the
 * API stays open). `parseAcls` checks the API's own ACL rules, naming
 * `source` in its errors. ACLs without any credential are refused: their
 * rules name principals, and nobody could authenticate as one.
 *
 * @throws CredentialsError naming the flag and file (never a secret), or what `parseAcls` throws
 */
export async function loadHttpAuth<Rules>(
  sources: HttpAuthSources,
  parseAcls: (json: unknown, source: string) => Rules,
): Promise<HttpAuthOptions<Rules> | undefined> {
  const { credentials, credentialsFile, tokensFile, aclsFile, realm } = sources;
  if ([credentials, credentialsFile, tokensFile, aclsFile].every((s) => s === undefined)) return undefined;
  const basic: Credential[] = credentials === undefined ? [] : parseCredentialList(credentials);
  const tokens: BearerToken[] = [];
  if (credentialsFile !== undefined) {
    const source = `--http_credentials_file ${credentialsFile}`;
    const file = parseCredentialsFile(read('--http_credentials_file', credentialsFile), source);
    for (const c of file.credentials) {
      if (basic.some((b) => b.principal === c.principal)) {
        throw new CredentialsError(source, `principal '${c.principal}' is also in --http_credentials; give it once`);
      }
      basic.push(c);
    }
    tokens.push(...file.tokens);
  }
  if (tokensFile !== undefined) {
    const source = `--http_tokens_file ${tokensFile}`;
    for (const t of parseTokensFile(read('--http_tokens_file', tokensFile), source)) {
      if (tokens.some((known) => known.token === t.token)) {
        throw new CredentialsError(
          source,
          `the token of principal '${t.principal}' is also in --http_credentials_file`,
        );
      }
      tokens.push(t);
    }
  }
  if (basic.length === 0 && tokens.length === 0) {
    throw new CredentialsError(
      '--http_acls',
      'needs principals to authenticate: add --http_credentials, --http_credentials_file or --http_tokens_file',
    );
  }
  return {
    credentials: basic,
    tokens,
    ...(aclsFile === undefined ? {} : { acls: aclsOf(aclsFile, parseAcls) }),
    ...(realm === undefined ? {} : { realm }),
  };
}
