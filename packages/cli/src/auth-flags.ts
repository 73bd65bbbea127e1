// The authentication flags of `mesocosm master|agent|marathon|chronos` (Mesos'
// and Marathon's names) and the credentials of the operator verbs. Files
// are only named by the flags; they are read when the command runs (a
// missing or malformed file is a usage error naming it). Secrets are never
// printed.
import { Option, type Command } from 'commander';
import { readCredentialFile, readSecretFile, type Credential } from '@mesocosm/framework-sdk';
import { loadAclsFile, loadCredentialsFile, type MasterOptions } from '@mesocosm/master';
import { UsageError } from './errors.js';
import { parseBoolean } from './flags.js';
import { arg, pick, type Raw } from './option-args.js';

/** The master's authentication flags, as given. */
export interface MasterAuthFlags {
  authenticateFrameworks?: boolean;
  authenticateAgents?: boolean;
  authenticateHttp?: boolean;
  /** `--credentials FILE`: principals and secrets (JSON or `principal secret` lines), and bearer tokens. */
  credentials?: string;
  /** `--acls FILE`: Mesos' ACL JSON. */
  acls?: string;
}

const bool = arg(parseBoolean);

/** A boolean flag that takes Mesos' form (`--flag`, `--flag=true`) and, hidden, the dashed spelling. */
function booleanFlag(cmd: Command, name: string, help: string): void {
  cmd.option(`--${name} [bool]`, help, bool);
  cmd.addOption(new Option(`--${name.replace(/_/g, '-')} [bool]`).argParser(bool).hideHelp());
}

/** Adds --authenticate_frameworks, --authenticate_agents, --authenticate_http, --credentials and --acls. */
export function addMasterAuthOptions(cmd: Command): Command {
  booleanFlag(
    cmd,
    'authenticate_frameworks',
    'frameworks must authenticate with a principal and secret of --credentials',
  );
  booleanFlag(cmd, 'authenticate_agents', 'agents must authenticate with a principal and secret of --credentials');
  booleanFlag(
    cmd,
    'authenticate_http',
    'operator HTTP endpoints and the Operator API need HTTP basic credentials or a bearer token of --credentials',
  );
  return cmd
    .option(
      '--credentials <file>',
      'principals and secrets: JSON {"credentials":[{"principal","secret"}],"tokens":[{"principal","token"}]} or "principal secret" lines',
    )
    .option(
      '--acls <file>',
      'ACLs (JSON, Mesos-style): register_frameworks, run_tasks, teardown_frameworks, view_*, ...',
    );
}

function flag(raw: Raw, name: string): boolean | undefined {
  const camel = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return pick<boolean>(raw, name) ?? pick<boolean>(raw, camel);
}

/** The master's authentication flags of commander's options; undefined when none was given. */
export function masterAuthFlags(raw: Raw): MasterAuthFlags | undefined {
  const out: MasterAuthFlags = {};
  const frameworks = flag(raw, 'authenticate_frameworks');
  const agents = flag(raw, 'authenticate_agents');
  const http = flag(raw, 'authenticate_http');
  if (frameworks !== undefined) out.authenticateFrameworks = frameworks;
  if (agents !== undefined) out.authenticateAgents = agents;
  if (http !== undefined) out.authenticateHttp = http;
  const credentials = pick<string>(raw, 'credentials');
  const acls = pick<string>(raw, 'acls');
  if (credentials !== undefined) out.credentials = credentials;
  if (acls !== undefined) out.acls = acls;
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Master.start options of the flags: the files read and checked (CredentialsError / AclsError name them). */
export function masterAuthOptions(flags: MasterAuthFlags | undefined): Partial<MasterOptions> {
  if (!flags) return {};
  return {
    ...(flags.authenticateFrameworks === undefined ? {} : { authenticateFrameworks: flags.authenticateFrameworks }),
    ...(flags.authenticateAgents === undefined ? {} : { authenticateAgents: flags.authenticateAgents }),
    ...(flags.authenticateHttp === undefined ? {} : { authenticateHttp: flags.authenticateHttp }),
    ...(flags.credentials === undefined ? {} : { credentials: loadCredentialsFile(flags.credentials) }),
    ...(flags.acls === undefined ? {} : { acls: loadAclsFile(flags.acls) }),
  };
}

/** Adds the agent's `--credential FILE`, `--switch_user` and `--authenticate_http_executors`. */
export function addAgentAuthOptions(cmd: Command): Command {
  cmd.option(
    '--credential <file>',
    'authenticate to the master: JSON {"principal","secret"} or one line "principal secret"',
  );
  booleanFlag(
    cmd,
    'switch_user',
    'run tasks and executors as their user (CommandInfo.user, else FrameworkInfo.user) when root (default true)',
  );
  booleanFlag(
    cmd,
    'authenticate_http_executors',
    'custom executors must present the token the agent gave them (MESOS_EXECUTOR_AUTHENTICATION_TOKEN) (default true)',
  );
  return cmd;
}

/** The agent's `--credential` file, `--switch_user` and `--authenticate_http_executors`. */
export function agentAuthFlags(raw: Raw): {
  credential?: string;
  switchUser?: boolean;
  authenticateHttpExecutors?: boolean;
} {
  const credential = pick<string>(raw, 'credential');
  const switchUser = flag(raw, 'switch_user');
  const authenticateHttpExecutors = flag(raw, 'authenticate_http_executors');
  return {
    ...(credential === undefined ? {} : { credential }),
    ...(switchUser === undefined ? {} : { switchUser }),
    ...(authenticateHttpExecutors === undefined ? {} : { authenticateHttpExecutors }),
  };
}

/** Reads the agent's `--credential` file. */
export function agentCredential(path: string | undefined): { credential?: Credential } {
  return path === undefined ? {} : { credential: readCredentialFile(path) };
}

/** Adds Marathon's and Chronos' `--mesos_authentication_principal` and `--mesos_authentication_secret_file`. */
export function addFrameworkAuthOptions(cmd: Command): Command {
  return cmd
    .option('--mesos_authentication_principal <principal>', 'authenticate to the master as this principal')
    .option(
      '--mesos_authentication_secret_file <file>',
      "the file holding the principal's secret (its whole content, one trailing newline ignored)",
    );
}

/** The framework's principal and secret file, checked together. @throws UsageError */
export function frameworkAuthFlags(raw: Raw): { principal: string; secretFile: string } | undefined {
  const principal = pick<string>(raw, 'mesos_authentication_principal');
  const secretFile = pick<string>(raw, 'mesos_authentication_secret_file');
  if (principal === undefined && secretFile === undefined) return undefined;
  if (principal === undefined) {
    throw new UsageError('--mesos_authentication_secret_file', 'needs --mesos_authentication_principal');
  }
  if (secretFile === undefined) {
    throw new UsageError('--mesos_authentication_principal', 'needs --mesos_authentication_secret_file');
  }
  return { principal, secretFile };
}

/** The framework's credential: the principal and the secret read from its file. */
export function frameworkCredential(auth: { principal: string; secretFile: string } | undefined): {
  credential?: Credential;
} {
  return auth === undefined
    ? {}
    : { credential: { principal: auth.principal, secret: readSecretFile(auth.secretFile) } };
}
