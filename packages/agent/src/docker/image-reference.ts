// Docker image references: [registry[:port]/]name[:tag][@digest], checked
// against the grammar of distribution/reference (what `docker pull` accepts). Pure.

/** A parsed image reference. */
export interface ImageReference {
  /** Registry host (and port), when the reference names one. */
  readonly domain?: string;
  /** The repository path, e.g. `library/busybox` or `team/app`. */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

const MAX_NAME_LENGTH = 255;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** True when the first path element names a registry rather than a repository (as Docker decides). */
function looksLikeDomain(first: string): boolean {
  return first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase();
}

/**
 * Parses `ref`, or returns why it is not a valid image reference (a message
 * that says what to fix).
 */
export function parseImageReference(ref: string): ImageReference | { readonly problem: string } {
  const bad = (why: string): { problem: string } => ({
    problem: `'${ref}' is not a valid Docker image reference: ${why}`,
  });
  if (ref === '') return { problem: 'the Docker image is empty: give an image such as busybox:1.36' };
  if (/\s/.test(ref)) return bad('it contains whitespace');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return bad(`'${digest}' is not a digest (algorithm:hex, e.g. sha256:<64 hex digits>)`);
    if (digest.startsWith('sha256:') && digest.length !== 'sha256:'.length + 64)
      return bad('a sha256 digest has exactly 64 hex digits');
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag))
      return bad(`'${tag}' is not a tag (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')`);
  }
  if (rest === '') return bad('the repository name is missing');
  if (rest.length > MAX_NAME_LENGTH) return bad(`the name is longer than ${MAX_NAME_LENGTH} characters`);
  const parts = rest.split('/');
  let domain: string | undefined;
  if (parts.length > 1 && looksLikeDomain(parts[0] ?? '')) {
    domain = parts.shift();
    if (domain === undefined || !DOMAIN.test(domain)) return bad(`'${domain ?? ''}' is not a registry host[:port]`);
  }
  for (const p of parts) {
    if (p === '') return bad("it has an empty path component ('//' or a trailing '/')");
    if (p !== p.toLowerCase()) return bad(`'${p}' has uppercase letters: repository names must be lowercase`);
    if (!PATH_COMPONENT.test(p))
      return bad(
        `'${p}' is not a repository name component (lowercase letters and digits, separated by '.', '_', '__' or '-')`,
      );
  }
  return {
    ...(domain === undefined ? {} : { domain }),
    path: parts.join('/'),
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** Why `ref` is not a valid image reference, or undefined when it is. */
export function imageReferenceProblem(ref: string): string | undefined {
  const r = parseImageReference(ref);
  return 'problem' in r ? r.problem : undefined;
}

/** The reference to pull: `ref` with `:latest` added when it has neither a tag nor a digest. */
export function pullReference(ref: string): string {
  const r = parseImageReference(ref);
  if ('problem' in r || r.tag !== undefined || r.digest !== undefined) return ref;
  return `${ref}:latest`;
}
