// The REST API flags of `mesocosm marathon|chronos`: who may call the API
// (`--http_credentials`, `--http_credentials_file`, `--http_tokens_file`)
// and what each principal may do to which app, group or job (`--http_acls`).
// Files are only named here; Marathon's and Chronos' `loadApiAuth` reads and
// checks them when the command runs (an error names the flag and the file,
// never a secret).
import { Option, type Command } from 'commander';
import { pick, type Raw } from './option-args.js';

/** The REST API authentication flags, as given. */
export interface HttpAuthFlags {
  /** `--http_credentials user:password[,user2:password2]` (or `$MARATHON_HTTP_CREDENTIALS` / `$CHRONOS_HTTP_CREDENTIALS`). */
  credentials?: string;
  /** `--http_credentials_file`: the master's JSON form (credentials and tokens), or `principal:secret` lines. */
  credentialsFile?: string;
  /** `--http_tokens_file`: bearer tokens, `{"tokens": [{"principal", "token"}]}` or `principal:token` lines. */
  tokensFile?: string;
  /** `--http_acls`: `{"rules": [{"principal", "actions", "paths"}]}`. */
  aclsFile?: string;
  /** `--http_realm`: the realm of the Basic challenge. */
  realm?: string;
}

/** Adds the REST API authentication flags to `mesocosm marathon` or `mesocosm chronos`. */
export function addHttpAuthOptions(cmd: Command, name: 'marathon' | 'chronos'): Command {
  const paths = name === 'marathon' ? 'app and group ids, e.g. /team-a/**' : 'job names, e.g. team-a-*';
  return cmd
    .addOption(
      new Option(
        '--http_credentials <user:password,...>',
        'REST API principals (HTTP basic); every route but /ping then needs credentials. ' +
          'Visible to other users in ps: prefer --http_credentials_file or the environment variable',
      ).env(`${name.toUpperCase()}_HTTP_CREDENTIALS`),
    )
    .option(
      '--http_credentials_file <file>',
      'REST API principals: JSON {"credentials":[{"principal","secret"}],"tokens":[{"principal","token"}]} ' +
        '(the master --credentials form) or "principal:secret" lines',
    )
    .option(
      '--http_tokens_file <file>',
      'REST API bearer tokens: {"tokens":[{"principal","token"}]} or "principal:token" lines',
    )
    .option(
      '--http_acls <file>',
      `who may do what on the REST API: {"rules":[{"principal","actions":["view","create","update","delete","run","kill"],"paths":[...]}]}, paths are ${paths}; ` +
        'given, what no rule allows is refused',
    )
    .option(
      '--http_realm <realm>',
      `the realm of the HTTP basic challenge (default ${name === 'marathon' ? 'Mesosphere' : 'chronos'})`,
    );
}

/** The REST API authentication flags of commander's options; undefined when none was given. */
export function httpAuthFlags(raw: Raw): HttpAuthFlags | undefined {
  const out: HttpAuthFlags = {};
  const credentials = pick<string>(raw, 'http_credentials');
  const credentialsFile = pick<string>(raw, 'http_credentials_file');
  const tokensFile = pick<string>(raw, 'http_tokens_file');
  const aclsFile = pick<string>(raw, 'http_acls');
  const realm = pick<string>(raw, 'http_realm');
  if (credentials !== undefined) out.credentials = credentials;
  if (credentialsFile !== undefined) out.credentialsFile = credentialsFile;
  if (tokensFile !== undefined) out.tokensFile = tokensFile;
  if (aclsFile !== undefined) out.aclsFile = aclsFile;
  if (realm !== undefined) out.realm = realm;
  return Object.keys(out).length === 0 ? undefined : out;
}
