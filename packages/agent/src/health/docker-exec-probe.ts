// A COMMAND check of a Docker task: `docker exec` in its container (through
// dockerode), with the container's environment plus the check's variables.
// Docker cannot kill an exec'd process: on timeout the agent stops waiting.
import type { ICommandInfo } from '@mesocosm/protocol';
import type Dockerode from 'dockerode';
import { dockerErrorText } from '../docker/docker-engine.js';
import type { CheckResult } from './health-state.js';
import type { Probe } from './health-monitor.js';
import { describeExit, OutputTail } from './output-tail.js';

const INSPECT_ATTEMPTS = 100;

/** The exec's argv: `/bin/sh -c value`, or the argv form (`value`, then `arguments` after argv[0]). Pure. */
export function execArgv(command: ICommandInfo): string[] {
  const value = command.value ?? '';
  const args = command.arguments ?? [];
  if (command.shell || args.length === 0) return ['/bin/sh', '-c', value];
  return [value || (args[0] ?? ''), ...args.slice(1)];
}

/** Collects the payload of Docker's multiplexed stream (8-byte frame headers). */
class Demux {
  private pending = Buffer.alloc(0);
  constructor(private readonly out: OutputTail) {}
  push(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) return;
      this.out.push(this.pending.subarray(8, 8 + size));
      this.pending = this.pending.subarray(8 + size);
    }
  }
}

/** A probe running `command` in `container` with `docker exec`. */
export function dockerExecProbe(container: Dockerode.Container, command: ICommandInfo): Probe {
  const env = (command.environment?.variables ?? []).filter((v) => v.name).map((v) => `${v.name}=${v.value ?? ''}`);
  return async (signal): Promise<CheckResult> => {
    const tail = new OutputTail();
    try {
      const exec = await container.exec({
        Cmd: execArgv(command),
        Env: env,
        AttachStdout: true,
        AttachStderr: true,
        abortSignal: signal,
      });
      const stream = await exec.start({ hijack: true, stdin: false, abortSignal: signal });
      const demux = new Demux(tail);
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          stream.destroy();
          resolve();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        stream.on('data', (d: Buffer) => demux.push(d));
        stream.once('end', resolve);
        stream.once('close', resolve);
        stream.once('error', reject);
      });
      if (signal.aborted) return { ok: false, why: 'aborted' };
      // The stream can end a moment before the engine records the exit code.
      let info = await exec.inspect();
      for (let i = 0; info.Running && i < INSPECT_ATTEMPTS && !signal.aborted; i++) info = await exec.inspect();
      if (info.Running) return { ok: false, why: 'the check command is still running after its output ended' };
      return info.ExitCode === 0 ? { ok: true } : { ok: false, why: describeExit(info.ExitCode, null, tail.text()) };
    } catch (err) {
      return { ok: false, why: `docker exec failed: ${dockerErrorText(err)}` };
    }
  };
}
