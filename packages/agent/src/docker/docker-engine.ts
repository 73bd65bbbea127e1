// The agent's Docker engine: a dockerode client plus the few calls whose
// failures need words a framework can act on (unreachable engine, image
// that cannot be pulled).
import Dockerode from 'dockerode';
import { DockerImageError, DockerUnavailableError } from '../errors.js';
import { LABELS } from './container-labels.js';
import { pullReference } from './image-reference.js';

/** Where the agent finds Docker (`--docker_socket`); default DOCKER_HOST, else /var/run/docker.sock. */
export interface DockerEngineOptions {
  readonly socketPath?: string;
}

const PING_TIMEOUT_MS = 3_000;

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const json = (err as { json?: { message?: string } }).json;
    return json?.message ?? err.message;
  }
  return String(err);
}

function statusCode(err: unknown): number | undefined {
  return (err as { statusCode?: number } | undefined)?.statusCode;
}

/** See the file comment. */
export class DockerEngine {
  /** For long calls (wait, log follow): no timeout. */
  readonly client: Dockerode;
  /** For short calls: a timeout, so that a hung engine cannot hang the agent. */
  private readonly quick: Dockerode;
  /** Where the engine is, in words. */
  readonly where: string;

  constructor(options: DockerEngineOptions = {}) {
    const base = options.socketPath ? { socketPath: options.socketPath } : {};
    this.client = new Dockerode(base);
    this.quick = new Dockerode({ ...base, timeout: PING_TIMEOUT_MS });
    this.where = options.socketPath ?? process.env['DOCKER_HOST'] ?? '/var/run/docker.sock';
  }

  /** Resolves when the engine answers; throws {@link DockerUnavailableError} when it does not. */
  async ping(): Promise<void> {
    try {
      await this.quick.ping();
    } catch (err) {
      throw new DockerUnavailableError(this.where, errorText(err));
    }
  }

  /**
   * Makes `image` available: pulled when `forcePull`, else only when it is
   * missing. Throws {@link DockerImageError} when it cannot be had.
   */
  async ensureImage(image: string, forcePull: boolean): Promise<void> {
    await this.ping();
    if (!forcePull) {
      try {
        await this.quick.getImage(image).inspect();
        return;
      } catch (err) {
        if (statusCode(err) !== 404) throw new DockerImageError(image, forcePull, errorText(err));
      }
    }
    try {
      const stream = await this.client.pull(pullReference(image));
      await new Promise<void>((resolve, reject) =>
        this.client.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
          const failed = output?.find((o) => o.error);
          if (err) reject(err);
          else if (failed) reject(new Error(failed.error));
          else resolve();
        }),
      );
    } catch (err) {
      throw new DockerImageError(image, forcePull, errorText(err));
    }
  }

  /** Every container (running or not) labelled with this work dir. */
  async containersOf(workDir: string): Promise<Dockerode.ContainerInfo[]> {
    return this.quick.listContainers({ all: true, filters: { label: [`${LABELS.workDir}=${workDir}`] } });
  }
}

/** The words of a dockerode error (the engine's message when it gave one). */
export function dockerErrorText(err: unknown): string {
  return errorText(err);
}
