// A framework's (or an agent's) principal and secret: from options, files or
// the environment, and sent to the master as `authorization` call metadata
// (`Basic base64(principal:secret)`) when a stream opens. The parsing and
// the checks are protocol's (the master's, Marathon's and Chronos' too).
// Secrets are never logged; error messages name the file or variable, never
// the secret.
import * as grpc from '@grpc/grpc-js';
import {
  basicAuthorization,
  checkCredential as checkCredentialAs,
  CredentialsError,
  MESOS_CREDENTIAL_RULES,
  parseCredentials,
  readTextFile,
  type Credential,
} from '@mesocosm/protocol';

/** The environment variables a credential is read from by default. */
export const CREDENTIAL_ENV = {
  principal: 'MESOCOSM_PRINCIPAL',
  secret: 'MESOCOSM_SECRET',
  secretFile: 'MESOCOSM_SECRET_FILE',
} as const;

/** How errors name a credential's file or variable. */
const from = (source: string): string => `credential from ${source}`;

const readText = (path: string, what: string): string =>
  readTextFile(path, (why) => new CredentialsError(from(path), `the ${what} file cannot be read (${why})`));

/**
 * Reads a secret file (Mesos' and Marathon's `--mesos_authentication_secret_file`):
 * its whole content, without the trailing newline.
 *
 * @throws CredentialsError naming the file
 */
export function readSecretFile(path: string): string {
  const secret = readText(path, 'secret').replace(/\r?\n$/, '');
  if (secret === '') throw new CredentialsError(from(path), 'the secret file is empty');
  return secret;
}

/**
 * Reads a credential file (the agent's `--credential`): JSON
 * `{"principal": "...", "secret": "..."}`, or one line `principal secret`.
 *
 * @throws CredentialsError naming the file, never the secret
 * @example
 * ```ts
 * const credential = readCredentialFile('/etc/mesocosm/agent.credential');
 * ```
 */
export function readCredentialFile(path: string): Credential {
  const read = parseCredentials(readText(path, 'credential'), from(path), MESOS_CREDENTIAL_RULES);
  const [only] = read.credentials;
  if (only === undefined || read.credentials.length !== 1 || read.tokens.length !== 0) {
    throw new CredentialsError(from(path), 'must hold one line "principal secret" (or JSON {"principal", "secret"})');
  }
  return only;
}

/**
 * The credential of the environment: `MESOCOSM_PRINCIPAL` with
 * `MESOCOSM_SECRET` or `MESOCOSM_SECRET_FILE`; undefined when no principal is set.
 *
 * @throws CredentialsError naming the variable or file, never the secret
 */
export function credentialFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Credential | undefined {
  const principal = env[CREDENTIAL_ENV.principal];
  if (principal === undefined || principal === '') return undefined;
  const file = env[CREDENTIAL_ENV.secretFile];
  const secret = env[CREDENTIAL_ENV.secret];
  if (file !== undefined && file !== '') {
    return checkCredentialAs({ principal, secret: readSecretFile(file) }, from(CREDENTIAL_ENV.secretFile));
  }
  if (secret === undefined || secret === '') {
    throw new CredentialsError(
      from(CREDENTIAL_ENV.principal),
      `principal '${principal}' has no secret: set ${CREDENTIAL_ENV.secretFile} (or ${CREDENTIAL_ENV.secret})`,
    );
  }
  return checkCredentialAs({ principal, secret }, from(CREDENTIAL_ENV.secret));
}

/** Checks a credential given as an option. @internal */
export function checkCredential(credential: Credential, source = 'the credential option'): Credential {
  return checkCredentialAs(credential, from(source));
}

/** The call metadata that carries `credential` (`authorization: Basic ...`). @internal */
export function credentialMetadata(credential: Credential | undefined): grpc.Metadata | undefined {
  if (!credential) return undefined;
  const metadata = new grpc.Metadata();
  metadata.set('authorization', basicAuthorization(credential.principal, credential.secret));
  return metadata;
}
