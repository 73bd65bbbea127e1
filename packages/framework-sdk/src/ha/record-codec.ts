// Record values as JSON text, with the size limit every store applies (pure).
import { ValidationError } from '@mesocosm/protocol';
import { StateCorruptError, StateRecordTooLargeError, type RecordRef } from './errors.js';

/**
 * The most bytes of JSON one record may hold, in every store. ZooKeeper
 * refuses a request larger than its `jute.maxbuffer` (1 MB by default) by
 * dropping the connection; this leaves room for the path and the framing,
 * and local stores apply the same limit so that what works in
 * `mesocosm local` also works in production.
 */
export const MAX_RECORD_BYTES = 1_000_000;

/** `value` as JSON text. Throws when it is not JSON-serialisable or too large. */
export function encodeRecord(ref: RecordRef, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new ValidationError(
      'value',
      `the value of record '${ref.key}' (${ref.collection}) is not JSON: ${String(err)}`,
    );
  }
  if (text === undefined) {
    throw new ValidationError(
      'value',
      `the value of record '${ref.key}' (${ref.collection}) is not JSON (undefined, a function or a symbol)`,
    );
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_RECORD_BYTES) throw new StateRecordTooLargeError(ref, bytes, MAX_RECORD_BYTES);
  return text;
}

/** Parses stored JSON text; `where` names the znode or file in the error. */
export function decodeRecord(ref: RecordRef, text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new StateCorruptError(ref, where, err);
  }
}
