// Confining file requests to the sandboxes: resolve symlinks and `..` with
// realpath, then require the result to be inside the (real) sandboxes root.
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { PathForbiddenError } from '../errors.js';

/** True when `child` is `parent` or below it (both already real, absolute paths). Pure. */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * The real path of `requested` (absolute, or relative to `root`), when it is
 * inside `root`. Throws {@link PathForbiddenError} when it is not, and the
 * file system's error (ENOENT) when it does not exist.
 */
export async function containPath(root: string, requested: string): Promise<string> {
  const realRoot = await realpath(root);
  const candidate = resolve(realRoot, requested);
  // Refuse what is lexically outside before touching the file system, so
  // that the existence of outside files cannot be probed.
  if (!isInside(resolve(root), candidate) && !isInside(realRoot, candidate)) throw new PathForbiddenError(requested);
  const real = await realpath(candidate);
  if (!isInside(realRoot, real)) throw new PathForbiddenError(requested);
  return real;
}
