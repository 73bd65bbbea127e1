// Collection names and record keys as znode and file names (pure).
//
// Keys are escaped so that any string (app IDs contain '/', job names may be
// unicode) is one safe path segment: every byte outside [A-Za-z0-9_.-] is
// written %XX (UTF-8, upper-case hex), and so is a leading '.', which keeps
// '.', '..' and hidden temporary files out of the key space. The escaping is
// what `decodeURIComponent` undoes, so it is exactly reversible.
import { ValidationError } from '@mesocosm/protocol';

/** The longest escaped key: a file name (with `.json`) stays within 255 bytes. */
export const MAX_ESCAPED_KEY_LENGTH = 250;

const COLLECTION = /^[A-Za-z0-9_-]{1,64}$/;

/** Throws a `ValidationError` unless `collection` is 1-64 of [A-Za-z0-9_-]. */
export function checkCollection(collection: string): string {
  if (!COLLECTION.test(collection)) {
    throw new ValidationError(
      'collection',
      `'${collection}' is not a collection name: use 1 to 64 letters, digits, '_' or '-'`,
    );
  }
  return collection;
}

/** The path segment for `key`. Throws a `ValidationError` for an empty, ill-formed or too long key. */
export function escapeKey(key: string): string {
  if (key === '') throw new ValidationError('key', 'a record key may not be empty');
  let escaped: string;
  try {
    escaped = encodeURIComponent(key);
  } catch {
    throw new ValidationError('key', `'${key}' is not well-formed unicode (it has a lone surrogate)`);
  }
  escaped = escaped.replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (escaped.startsWith('.')) escaped = `%2E${escaped.slice(1)}`;
  if (escaped.length > MAX_ESCAPED_KEY_LENGTH) {
    throw new ValidationError(
      'key',
      `'${key.slice(0, 40)}...' is too long: escaped it takes ${escaped.length} characters, at most ${MAX_ESCAPED_KEY_LENGTH}`,
    );
  }
  return escaped;
}

/** The key of an escaped path segment, or undefined when `name` is not one (a temporary file, a stranger). */
export function unescapeKey(name: string): string | undefined {
  if (!/^[A-Za-z0-9_.%-]+$/.test(name) || name.startsWith('.')) return undefined;
  try {
    return decodeURIComponent(name);
  } catch {
    return undefined;
  }
}
