// ZooKeeper's result codes as typed errors. The numeric codes are the C
// client's (the same on the wire for every client), so this file does not
// need the native addon.
import { MesocosmError, type ErrorCode } from '../errors.js';

/** ZooKeeper result codes by name, as in the C client's `ZOO_ERRORS`. */
export const ZK_RESULT_CODES = {
  SYSTEMERROR: -1,
  RUNTIMEINCONSISTENCY: -2,
  DATAINCONSISTENCY: -3,
  CONNECTIONLOSS: -4,
  MARSHALLINGERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATIONTIMEOUT: -7,
  BADARGUMENTS: -8,
  INVALIDSTATE: -9,
  NEWCONFIGNOQUORUM: -13,
  RECONFIGINPROGRESS: -14,
  SSLCONNECTIONERROR: -15,
  APIERROR: -100,
  NONODE: -101,
  NOAUTH: -102,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
  INVALIDCALLBACK: -113,
  INVALIDACL: -114,
  AUTHFAILED: -115,
  CLOSING: -116,
  NOTHING: -117,
  SESSIONMOVED: -118,
  NOTREADONLY: -119,
  EPHEMERALONLOCALSESSION: -120,
  NOWATCHER: -121,
  RECONFIGDISABLED: -123,
  SESSIONCLOSEDREQUIRESASLAUTH: -124,
  THROTTLEDOP: -127,
} as const;

/** The name of a ZooKeeper result code, e.g. `NONODE`. */
export type ZkCode = keyof typeof ZK_RESULT_CODES;

const NAMES = new Map<number, ZkCode>(
  Object.entries(ZK_RESULT_CODES).map(([name, rc]) => [rc, name as ZkCode] as const),
);

/** The name of result code `rc`, or undefined for an unknown code. */
export function zkCodeName(rc: number): ZkCode | undefined {
  return NAMES.get(rc);
}

const DISCONNECTED: ReadonlySet<ZkCode> = new Set(['CONNECTIONLOSS', 'SESSIONEXPIRED', 'SESSIONMOVED', 'CLOSING']);

function mesocosmCode(zk: ZkCode | undefined): ErrorCode {
  if (zk === undefined) return 'INTERNAL';
  if (DISCONNECTED.has(zk)) return 'DISCONNECTED';
  if (zk === 'OPERATIONTIMEOUT') return 'TIMEOUT';
  if (zk === 'BADARGUMENTS') return 'INVALID_ARGUMENT';
  return 'INTERNAL';
}

/**
 * A failed ZooKeeper operation. `zkCode` is ZooKeeper's name for the result
 * (`NONODE`, `NODEEXISTS`, `CONNECTIONLOSS`, `SESSIONEXPIRED`, ...), which is
 * what callers switch on; `code` is the Mesocosm family's coarser code.
 *
 * @example
 * ```ts
 * try { await zk.delete('/mesos/x'); } catch (e) { if (!ZkError.is(e, 'NONODE')) throw e; }
 * ```
 */
export class ZkError extends MesocosmError {
  /** ZooKeeper's name for the result, e.g. `NONODE`. */
  readonly zkCode: ZkCode | 'UNKNOWN';
  /** The numeric result code. */
  readonly rc: number;
  /** The znode the operation was about, when there was one. */
  readonly path: string | undefined;

  constructor(rc: number, message: string, options: { path?: string; cause?: unknown } = {}) {
    const name = zkCodeName(rc);
    super(mesocosmCode(name), message, {
      cause: options.cause,
      details: { zkCode: name ?? 'UNKNOWN', rc, ...(options.path !== undefined ? { path: options.path } : {}) },
    });
    this.zkCode = name ?? 'UNKNOWN';
    this.rc = rc;
    this.path = options.path;
  }

  /** True when `err` is a ZkError with ZooKeeper code `zkCode`. */
  static is(err: unknown, zkCode: ZkCode): err is ZkError {
    return err instanceof ZkError && err.zkCode === zkCode;
  }

  /** The error for result `rc` of operation `op` on `path`. */
  static fromResult(rc: number, op: string, path?: string): ZkError {
    const name = zkCodeName(rc) ?? `code ${rc}`;
    const where = path === undefined ? '' : ` ${path}`;
    return new ZkError(rc, `ZooKeeper ${op}${where} failed: ${name}${HINTS[name] ?? ''}`, {
      ...(path !== undefined ? { path } : {}),
    });
  }
}

/** What a reader can do about the common results. */
const HINTS: Partial<Record<string, string>> = {
  NONODE: ' (the znode does not exist)',
  NODEEXISTS: ' (the znode already exists)',
  NOTEMPTY: ' (the znode has children; delete them first)',
  BADVERSION: ' (the znode changed since it was read; read it again)',
  CONNECTIONLOSS: ' (not connected to ZooKeeper; the client is reconnecting, retry)',
  SESSIONEXPIRED: ' (the ZooKeeper session expired: its ephemeral znodes and watches are gone; open a new session)',
  CLOSING: ' (the client was closed)',
  NOAUTH: ' (not authorised: check the credentials in the zk:// URL)',
  AUTHFAILED: ' (authentication failed: check the credentials in the zk:// URL)',
};
