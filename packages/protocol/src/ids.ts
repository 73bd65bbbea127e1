// Identifiers. Random parts come from crypto; callers that need determinism
// pass their own prefix/sequence.
import { randomUUID } from 'node:crypto';

/** A new random ID with an optional readable prefix, e.g. `agent-3f2a...`. */
export function newId(prefix?: string): string {
  const id = randomUUID();
  return prefix ? `${prefix}-${id}` : id;
}

/** 16 random bytes: the UUID of a status update that must be acknowledged. */
export function newUpdateUuid(): Uint8Array {
  const hex = randomUUID().replace(/-/g, '');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** Hex form of a status update UUID, for logs and map keys. */
export function uuidToString(uuid: Uint8Array | null | undefined): string {
  return uuid ? Buffer.from(uuid).toString('hex') : '';
}
