// The --tls-* flags of `mesocosm master|agent|marathon|chronos` and of the
// operator verbs. Files are only named here; each component reads and
// checks them once at start (a missing file or a key that does not match
// its certificate is an error naming the flag and the file).
import { Option, type Command } from 'commander';
import { pick, type Raw } from './option-args.js';

/** The TLS flags, as given. */
export interface TlsFlags {
  /** `--tls-cert`: PEM certificate (chain) of this component. */
  cert?: string;
  /** `--tls-key`: its private key. */
  key?: string;
  /** `--tls-ca`: PEM CA certificate(s) that peers' certificates must chain to. */
  ca?: string;
  /** `--tls-require-client-cert` (master): mutual TLS on the gRPC APIs. */
  requireClientCert?: boolean;
}

/** Who the flags are for: their help differs. */
export type TlsRole = 'master' | 'agent' | 'framework' | 'operator';

const HELP: Record<TlsRole, { cert: string; key: string; ca: string }> = {
  master: {
    cert: 'serve TLS on the HTTP and gRPC ports with this PEM certificate (chain); needs --tls-key',
    key: 'the PEM private key of --tls-cert',
    ca: "PEM CA certificate(s): clients' certificates (mutual TLS) and agents' HTTPS are verified against it",
  },
  agent: {
    cert: "serve the agent's HTTP API (sandbox files) over HTTPS with this PEM certificate; also its client certificate to the master",
    key: 'the PEM private key of --tls-cert',
    ca: 'connect to the master over TLS, verifying its certificate against these PEM CA certificate(s)',
  },
  framework: {
    cert: 'serve the REST API over HTTPS with this PEM certificate; also the client certificate to the master',
    key: 'the PEM private key of --tls-cert',
    ca: 'connect to the master over TLS, verifying its certificate against these PEM CA certificate(s)',
  },
  operator: {
    cert: 'client certificate (PEM) for a master that asks for one (default: MESOCOSM_TLS_CERT)',
    key: 'the PEM private key of --tls-cert (default: MESOCOSM_TLS_KEY)',
    ca: "verify an https:// master's certificate against these PEM CA certificate(s) (default: MESOCOSM_TLS_CA)",
  },
};

/** Adds `--tls-cert`, `--tls-key`, `--tls-ca` (and for the master `--tls-require-client-cert`) to `cmd`. */
export function addTlsOptions(cmd: Command, role: TlsRole): Command {
  const help = HELP[role];
  cmd
    .addOption(new Option('--tls-cert <file>', help.cert))
    .addOption(new Option('--tls-key <file>', help.key))
    .addOption(new Option('--tls-ca <file>', help.ca));
  if (role === 'master')
    cmd.addOption(
      new Option(
        '--tls-require-client-cert',
        'mutual TLS: refuse agents and frameworks (gRPC) without a client certificate signed by --tls-ca',
      ),
    );
  return cmd;
}

/** The TLS flags of commander's options; undefined when none was given. */
export function tlsFlags(raw: Raw): TlsFlags | undefined {
  const cert = pick<string>(raw, 'tlsCert');
  const key = pick<string>(raw, 'tlsKey');
  const ca = pick<string>(raw, 'tlsCa');
  const requireClientCert = pick<boolean>(raw, 'tlsRequireClientCert');
  if (cert === undefined && key === undefined && ca === undefined && !requireClientCert) return undefined;
  return {
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(ca === undefined ? {} : { ca }),
    ...(requireClientCert ? { requireClientCert: true } : {}),
  };
}

/** `{ tls }` when a TLS flag was given, else `{}` (flag records stay free of undefined keys). */
export function withTls(raw: Raw): { tls?: TlsFlags } {
  const tls = tlsFlags(raw);
  return tls ? { tls } : {};
}
