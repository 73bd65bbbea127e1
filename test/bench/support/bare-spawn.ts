// The shell launch's physical limit: the same command spawned directly with
// child_process, waited for until it exits. No sandbox, no status updates,
// no gRPC: what any launcher on this machine pays at least.
import { spawn } from 'node:child_process';
import { BenchError } from '../errors.js';
import { pooledRate } from './pooled-rate.js';

/** Runs `/bin/sh -c <command>` and resolves with the milliseconds from spawn() to exit. */
export function spawnToExit(command: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('/bin/sh', ['-c', command], { stdio: 'ignore' });
    child.once('error', (err) =>
      reject(new BenchError(`cannot spawn /bin/sh: ${err.message}`, 'INTERNAL', { cause: err })),
    );
    child.once('exit', (code) => {
      if (code === 0) resolve(performance.now() - start);
      else reject(new BenchError(`/bin/sh -c '${command}' exited with ${String(code)}`));
    });
  });
}

/** `count` sequential spawns of `command`: their spawn-to-exit times (ms). */
export async function sequentialSpawns(command: string, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(await spawnToExit(command));
  return out;
}

/** `count` spawns of `command`, at most `concurrency` at a time: completed per second. */
export function spawnThroughput(command: string, count: number, concurrency: number): Promise<number> {
  return pooledRate(count, concurrency, () => spawnToExit(command));
}
