// Confining file requests to the sandboxes: resolve symlinks and `..` with
// realpath, then require the result to be inside the (real) sandboxes root,
// and inside the one sandbox the path names. The master authorises a files
// request by the framework and task its path names (view_sandboxes), so a
// symlink a task leaves in its sandbox must not lead into another task's or
// another framework's sandbox.
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PathForbiddenError } from '../errors.js';

/** True when `child` is `parent` or below it (both already real, absolute paths). Pure. */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * The part of a path below the sandboxes root that names one sandbox, as its
 * components: `<framework>/tasks|executors/<id>` when the path goes that
 * deep, else `<framework>`, else nothing (the root itself). Pure.
 */
export function sandboxScope(relativeToRoot: string): string[] {
  const parts = relativeToRoot.split(sep).filter((p) => p !== '' && p !== '.');
  if (parts.length >= 3 && (parts[1] === 'tasks' || parts[1] === 'executors')) return parts.slice(0, 3);
  return parts.slice(0, 1);
}

/**
 * The real path of `requested` (absolute, or relative to `root`), when it is
 * inside `root` and inside the sandbox it names (see {@link sandboxScope}).
 * Throws {@link PathForbiddenError} when it is not, and the file system's
 * error (ENOENT) when it does not exist.
 */
export async function containPath(root: string, requested: string): Promise<string> {
  const realRoot = await realpath(root);
  const lexicalRoot = resolve(root);
  const candidate = resolve(realRoot, requested);
  // Refuse what is lexically outside before touching the file system, so
  // that the existence of outside files cannot be probed.
  const base = isInside(realRoot, candidate) ? realRoot : isInside(lexicalRoot, candidate) ? lexicalRoot : undefined;
  if (base === undefined) throw new PathForbiddenError(requested);
  const real = await realpath(candidate);
  if (!isInside(realRoot, real)) throw new PathForbiddenError(requested);
  // The sandbox directories themselves are the agent's (tasks write below them), so the
  // scope's lexical path under the real root is its real path.
  const scope = sandboxScope(relative(base, candidate));
  if (scope.length > 0 && !isInside(join(realRoot, ...scope), real))
    throw new PathForbiddenError(requested, `the sandbox it names (${scope.join('/')})`);
  return real;
}
