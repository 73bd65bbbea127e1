// Credentials that cannot be used: the message names where they came from
// and the entry at fault, and never contains a secret.
import { MesocosmError } from '../errors.js';

/**
 * Credentials that cannot be used: a credentials or tokens file, a
 * `--http_credentials` list, a credential option, file or environment
 * variable. The message reads `SOURCE: PROBLEM`, the problem naming the entry
 * at fault (`line 3`, `credentials[1]`, `entry 2`) and what to fix; it never
 * contains a secret.
 */
export class CredentialsError extends MesocosmError {
  /**
   * The input, as the message names it: a flag (`--http_credentials`), an
   * option (`credentials`), or a file in words (`credentials in /etc/mesos/credentials`).
   */
  readonly source: string;
  /** The entry or line at fault, when one is. */
  readonly entry: string | undefined;
  /** What is wrong and how to fix it (the message after `SOURCE: `). */
  readonly problem: string;

  constructor(source: string, problem: string, entry?: string) {
    super('INVALID_ARGUMENT', `${source}: ${problem}`, {
      details: { source, ...(entry === undefined ? {} : { entry }) },
    });
    this.source = source;
    this.entry = entry;
    this.problem = problem;
  }
}
