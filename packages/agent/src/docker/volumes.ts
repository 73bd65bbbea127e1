// A task's volumes as Docker binds: host paths, named volumes, anonymous
// volumes. Relative and escaping paths are refused. Pure.
import { posix } from 'node:path';
import { v1, type mesocosm } from '@mesocosm/protocol';

type IVolume = mesocosm.v1.IVolume;

/** Docker's grammar for a named volume. */
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Where the task's sandbox is mounted in its container (as Mesos does). */
export const CONTAINER_SANDBOX = '/mnt/mesos/sandbox';

function hasDotDot(p: string): boolean {
  return p.split('/').includes('..');
}

/** Why a volume cannot be mounted, or undefined when it can. */
export function volumeProblem(v: IVolume, index: number): string | undefined {
  const where = `volume ${index + 1}`;
  const containerPath = v.containerPath ?? '';
  const hostPath = v.hostPath ?? '';
  if (containerPath === '') return `${where}: the container path is empty`;
  if (!containerPath.startsWith('/'))
    return `${where}: the container path '${containerPath}' is relative: give an absolute path`;
  if (hasDotDot(containerPath)) return `${where}: the container path '${containerPath}' must not contain '..'`;
  if (posix.normalize(containerPath) === CONTAINER_SANDBOX)
    return `${where}: '${CONTAINER_SANDBOX}' is where the sandbox is mounted: choose another container path`;
  if (containerPath.includes(':') || hostPath.includes(':'))
    return `${where}: paths must not contain ':' (Docker's bind separator)`;
  if (hostPath === '' || VOLUME_NAME.test(hostPath)) return undefined;
  if (!hostPath.startsWith('/'))
    return `${where}: the host path '${hostPath}' is relative: give an absolute host path or a volume name (letters, digits, '_', '.', '-')`;
  if (hasDotDot(hostPath)) return `${where}: the host path '${hostPath}' escapes with '..': give it without '..'`;
  return undefined;
}

/** The binds (`host:container[:ro]`) and anonymous volumes of valid `volumes`, plus the sandbox. */
export function dockerVolumes(
  volumes: readonly IVolume[],
  sandbox: string,
): { binds: string[]; anonymous: Record<string, Record<string, never>> } {
  const binds = [`${sandbox}:${CONTAINER_SANDBOX}`];
  const anonymous: Record<string, Record<string, never>> = {};
  for (const v of volumes) {
    const containerPath = posix.normalize(v.containerPath ?? '');
    const hostPath = v.hostPath ?? '';
    const ro = v.mode === v1.Volume.Mode.RO ? ':ro' : '';
    if (hostPath === '') anonymous[containerPath] = {};
    else binds.push(`${VOLUME_NAME.test(hostPath) ? hostPath : posix.normalize(hostPath)}:${containerPath}${ro}`);
  }
  return { binds, anonymous };
}
