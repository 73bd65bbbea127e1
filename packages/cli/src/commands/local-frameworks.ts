// Marathon and Chronos beside `mesocosm local`'s cluster: in this process,
// single instances (no ZooKeeper) keeping their state under the local work
// dir, on loopback, so that a new user can POST an app or a job at once.
import { join } from 'node:path';
import { Chronos } from '@mesocosm/chronos';
import { Marathon } from '@mesocosm/marathon';
import { createLogger, type Logger } from '@mesocosm/protocol';
import type { LocalFlags } from '../program.js';

/** The frameworks `mesocosm local` runs, and how to stop them. */
export interface LocalFrameworks {
  /** Marathon's base URL, unless `--no-marathon`. */
  readonly marathonUrl?: string;
  /** Chronos' base URL, unless `--no-chronos`. */
  readonly chronosUrl?: string;
  /** Stops both (no teardown: their tasks stop with the cluster). */
  stop(): Promise<void>;
}

function quietLogger(component: string): Logger {
  return createLogger(component, process.env['MESOCOSM_LOG'] ? undefined : 'warn');
}

/** Starts the frameworks `flags` ask for against `masterGrpc`, with state under `workDir`. */
export async function startLocalFrameworks(
  flags: Pick<LocalFlags, 'marathon' | 'marathonPort' | 'chronos' | 'chronosPort'>,
  masterGrpc: string,
  workDir: string,
  /** With TLS: they serve HTTPS with `cert` and `key`, and verify the master with `ca`. */
  tls?: { cert: string; key: string; ca: string },
): Promise<LocalFrameworks> {
  const loopback = { hostname: '127.0.0.1', httpHost: '127.0.0.1', ...(tls ? { tls } : {}) };
  const [marathon, chronos] = await Promise.allSettled([
    flags.marathon
      ? Marathon.start({
          master: masterGrpc,
          stateDir: join(workDir, 'marathon'),
          httpPort: flags.marathonPort,
          ...loopback,
          logger: quietLogger('marathon'),
        })
      : undefined,
    flags.chronos
      ? Chronos.start({
          master: masterGrpc,
          stateDir: join(workDir, 'chronos'),
          httpPort: flags.chronosPort,
          ...loopback,
          logger: quietLogger('chronos'),
        })
      : undefined,
  ]);
  const m = marathon.status === 'fulfilled' ? marathon.value : undefined;
  const c = chronos.status === 'fulfilled' ? chronos.value : undefined;
  const stop = async (): Promise<void> => {
    await Promise.all([m?.stop(), c?.stop()]);
  };
  if (marathon.status === 'rejected' || chronos.status === 'rejected') {
    await stop();
    const failed = marathon.status === 'rejected' ? marathon : (chronos as PromiseRejectedResult);
    const which = failed === marathon ? 'Marathon (--marathon_port)' : 'Chronos (--chronos_port)';
    const err = failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    throw new Error(`could not start ${which}: ${err.message}`, { cause: err });
  }
  return {
    ...(m ? { marathonUrl: m.url } : {}),
    ...(c ? { chronosUrl: c.url } : {}),
    stop,
  };
}

/** The lines `mesocosm local` prints about its frameworks (curl given `caFile` with TLS). Pure. */
export function describeFrameworks(
  urls: Pick<LocalFrameworks, 'marathonUrl' | 'chronosUrl'>,
  caFile?: string,
): string[] {
  const lines: string[] = [];
  const curl = caFile === undefined ? 'curl' : `curl --cacert ${caFile}`;
  if (urls.marathonUrl !== undefined) {
    lines.push(
      `  marathon     ${urls.marathonUrl}   (apps: ${curl} -X POST ${urls.marathonUrl}/v2/apps -H 'Content-Type: application/json' -d '{"id":"/hello","cmd":"sleep 1000","cpus":0.1,"mem":32}')`,
    );
  }
  if (urls.chronosUrl !== undefined) {
    lines.push(
      `  chronos      ${urls.chronosUrl}   (jobs: ${curl} -X POST ${urls.chronosUrl}/v1/scheduler/iso8601 -H 'Content-Type: application/json' -d '{"name":"hello","command":"date","schedule":"R//PT1M"}')`,
    );
  }
  return lines;
}
