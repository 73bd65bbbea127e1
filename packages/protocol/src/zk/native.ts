// The `zookeeper` npm package (a native addon over the C client), loaded on
// first use so that importing this module costs nothing. Only the callback
// API is used; its shape is declared here rather than taken from the
// package's own declarations, which do not describe it as a module.
import { createRequire } from 'node:module';

/** The stat of a znode, as the addon reports it. @internal */
export interface NativeStat {
  czxid: number;
  mzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: string;
  dataLength: number;
  numChildren: number;
  pzxid: number;
}

/** A one-shot watch callback: event type, session state, path. @internal */
export type NativeWatcher = (type: number, state: number, path: string) => void;

/** The addon's client (callback API). Methods return a negative code when the call was refused outright. @internal */
export interface NativeClient {
  init(config: Record<string, unknown>): unknown;
  on(event: 'connect' | 'connecting', fn: () => void): unknown;
  on(event: 'close', fn: (self: unknown, code: number) => void): unknown;
  close(): unknown;
  a_create(path: string, data: Buffer, flags: number, cb: (rc: number, err: string, path: string) => void): number;
  a_exists(path: string, watch: boolean, cb: (rc: number, err: string, stat: NativeStat) => void): number;
  aw_exists(path: string, w: NativeWatcher, cb: (rc: number, err: string, stat: NativeStat) => void): number;
  a_get(
    path: string,
    watch: boolean,
    cb: (rc: number, err: string, stat: NativeStat, data: Buffer | null) => void,
  ): number;
  aw_get(
    path: string,
    w: NativeWatcher,
    cb: (rc: number, err: string, stat: NativeStat, data: Buffer | null) => void,
  ): number;
  a_get_children(path: string, watch: boolean, cb: (rc: number, err: string, children: string[]) => void): number;
  aw_get_children(path: string, w: NativeWatcher, cb: (rc: number, err: string, children: string[]) => void): number;
  a_set(path: string, data: Buffer, version: number, cb: (rc: number, err: string, stat: NativeStat) => void): number;
  a_delete_(path: string, version: number, cb: (rc: number, err: string) => void): number;
  add_auth(scheme: string, auth: string, cb: (rc: number, err: string) => void): number;
  readonly client_id: string;
  readonly client_password: string;
  readonly timeout: number;
}

/** The addon's constants used here. @internal */
export interface NativeConstants {
  ZOO_PERSISTENT: number;
  ZOO_EPHEMERAL: number;
  ZOO_PERSISTENT_SEQUENTIAL: number;
  ZOO_EPHEMERAL_SEQUENTIAL: number;
  ZOO_CREATED_EVENT: number;
  ZOO_DELETED_EVENT: number;
  ZOO_CHANGED_EVENT: number;
  ZOO_CHILD_EVENT: number;
  ZOO_SESSION_EVENT: number;
  ZOO_NOTWATCHING_EVENT: number;
  ZOO_EXPIRED_SESSION_STATE: number;
  ZOO_AUTH_FAILED_STATE: number;
}

/** The loaded addon. @internal */
export interface NativeModule {
  create(): NativeClient;
  constants: NativeConstants;
}

let loaded: NativeModule | undefined;

/** Loads the addon (once). Throws with a hint when it is not installed or not built. @internal */
export function loadNative(): NativeModule {
  if (loaded) return loaded;
  let ctor: { new (): NativeClient; constants: NativeConstants };
  try {
    ctor = createRequire(import.meta.url)('zookeeper') as typeof ctor;
  } catch (err) {
    throw new Error(
      `cannot load the 'zookeeper' native addon, needed for zk:// addresses (${String(err)}): it is an ` +
        "optional dependency of @mesocosm/protocol; install it with 'npm install zookeeper' (its install " +
        "script builds it with node-gyp), or in this repository run 'npm ci' at the root",
      { cause: err },
    );
  }
  loaded = { create: () => new ctor(), constants: ctor.constants };
  return loaded;
}
