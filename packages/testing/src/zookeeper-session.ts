// Expiring a ZooKeeper session on demand, for tests of what a client does
// when its session is gone (ephemeral znodes deleted, watches dropped).
import { setTimeout as sleep } from 'node:timers/promises';
import { ZkClient, ZkError } from '@mesocosm/protocol/zk';
import { WaitTimeoutError } from './errors.js';

/**
 * Makes the server expire `client`'s session: a second client re-attaches to
 * the session (same ID and password) and closes it. Resolves once `client`
 * has reported `expired`. (Pausing the server past the session timeout also
 * expires it, but races with the client's reconnection when it resumes.)
 *
 * @example
 * ```ts
 * await expireZooKeeperSession(zk);
 * expect(zk.state).to.equal('expired');
 * ```
 */
export async function expireZooKeeperSession(client: ZkClient, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const expired = new Promise<void>((resolve) => client.on('expired', () => resolve()));
  while (client.state !== 'expired') {
    if (Date.now() > deadline)
      throw new WaitTimeoutError(`session ${client.sessionId} did not expire within ${timeoutMs} ms`);
    try {
      const twin = await ZkClient.connect({
        connect: client.connectString,
        session: { id: client.sessionId, password: client.sessionPassword },
      });
      twin.close();
    } catch (err) {
      // Already expired on the server: the client learns it when it next talks to it.
      if (!ZkError.is(err, 'SESSIONEXPIRED')) throw err;
    }
    // The client may win the session back before the twin's close lands: then try again.
    await Promise.race([expired, sleep(500)]);
  }
}
