// Test helpers for the REST API's authentication and ACLs: the principals,
// their rules, authorization headers, and a server over a real engine.
import { startMarathonHttp, type ApiAuthOptions, type MarathonHttp } from '../../src/api/index.js';
import type { AclRule } from '../../src/index.js';
import { Harness } from '../engine/harness.js';

/** Principals and passwords of these tests. */
export const USERS = { alice: 'alice-pw', bob: 'bob:pw', admin: 'admin-pw' } as const;

/** alice owns /team-a and /shop/front; bob views /team-b and kills there; admin does everything. */
export const RULES: AclRule[] = [
  { principal: 'alice', actions: ['view', 'create', 'update', 'delete', 'kill'], paths: ['/team-a/**'] },
  { principal: 'alice', actions: ['view', 'create', 'update'], paths: ['/shop', '/shop/front'] },
  { principal: 'bob', actions: ['view', 'kill'], paths: ['/team-b/**'] },
  { principal: 'admin', actions: ['*'], paths: ['/**'] },
];

/** Auth options with USERS, a bearer token for bob, and `acls` (null: none, every principal may do everything). */
export function authOptions(acls: readonly AclRule[] | null = RULES): ApiAuthOptions {
  return {
    credentials: Object.entries(USERS).map(([principal, secret]) => ({ principal, secret })),
    tokens: [{ principal: 'bob', token: 'bob-token-123' }],
    ...(acls === null ? {} : { acls }),
  };
}

/** `Authorization: Basic ...` for `user` with `password`. */
export function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** The authorization header of one of USERS. */
export function as(user: keyof typeof USERS): Record<string, string> {
  return basic(user, USERS[user]);
}

/** A minimal valid app definition. */
export function app(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, cmd: 'sleep 1000', cpus: 0.1, mem: 16, instances: 1, ...extra };
}

/** The REST API on 127.0.0.1:0 over a leading engine (fake cluster), with `auth`. */
export async function startEngineApi(
  auth: ApiAuthOptions = authOptions(),
): Promise<{ h: Harness; http: MarathonHttp }> {
  const h = await Harness.lead();
  const http = await startMarathonHttp(h.service, { host: '127.0.0.1', port: 0, auth });
  return { h, http };
}
