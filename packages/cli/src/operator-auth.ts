// The credentials of the operator verbs, for a master started with
// --authenticate_http: `--principal` and `--secret-file` (HTTP basic), else
// MESOCOSM_PRINCIPAL with MESOCOSM_SECRET_FILE or MESOCOSM_SECRET, else
// MESOCOSM_TOKEN (a bearer token). Secrets are never printed.
import { basicAuthorization, readSecretFile } from '@mesocosm/framework-sdk';
import type { Command } from 'commander';
import { UsageError } from './errors.js';
import { pick, type Raw } from './option-args.js';

/** The environment variables the operator verbs take credentials from. */
export const OPERATOR_AUTH_ENV = {
  principal: 'MESOCOSM_PRINCIPAL',
  secret: 'MESOCOSM_SECRET',
  secretFile: 'MESOCOSM_SECRET_FILE',
  token: 'MESOCOSM_TOKEN',
} as const;

/** Adds `--principal` and `--secret-file` to an operator verb. */
export function addOperatorAuthOptions(cmd: Command): Command {
  return cmd
    .option('--principal <name>', `authenticate as this principal (default: $${OPERATOR_AUTH_ENV.principal})`)
    .option(
      '--secret-file <file>',
      `the principal's secret (default: $${OPERATOR_AUTH_ENV.secretFile}, or $${OPERATOR_AUTH_ENV.secret}; a bearer token: $${OPERATOR_AUTH_ENV.token})`,
    );
}

/** The verb's `--principal` and `--secret-file`, as given. */
export interface OperatorAuthFlags {
  principal?: string;
  secretFile?: string;
}

/** The auth flags of commander's options; undefined when none was given. @throws UsageError */
export function operatorAuthFlags(raw: Raw): OperatorAuthFlags | undefined {
  const principal = pick<string>(raw, 'principal');
  const secretFile = pick<string>(raw, 'secretFile');
  if (principal === undefined && secretFile === undefined) return undefined;
  if (principal === undefined) throw new UsageError('--secret-file', 'needs --principal');
  return { principal, ...(secretFile === undefined ? {} : { secretFile }) };
}

/**
 * The `authorization` header to send; undefined: none (anonymous). The
 * flags beat the environment; in the environment a principal beats a token.
 * @throws UsageError for a principal without a secret; CredentialsError for an unreadable secret file.
 */
export function operatorAuthorization(
  env: Readonly<Record<string, string | undefined>>,
  flags?: OperatorAuthFlags,
): string | undefined {
  const principal = flags?.principal ?? env[OPERATOR_AUTH_ENV.principal];
  if (principal) {
    const file = flags?.secretFile ?? env[OPERATOR_AUTH_ENV.secretFile];
    const secret = file ? readSecretFile(file) : env[OPERATOR_AUTH_ENV.secret];
    if (!secret) {
      throw new UsageError(
        '--principal',
        `'${principal}' needs a secret: --secret-file FILE, or $${OPERATOR_AUTH_ENV.secretFile} or $${OPERATOR_AUTH_ENV.secret}`,
      );
    }
    return basicAuthorization(principal, secret);
  }
  const token = env[OPERATOR_AUTH_ENV.token];
  return token ? `Bearer ${token}` : undefined;
}
