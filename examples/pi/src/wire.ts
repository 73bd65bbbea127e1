// What travels between the framework and the executor: a task's `data` holds
// its Work as JSON; the executor's terminal update's `data` holds the Sample.
// Pure. Decoding checks everything, since it is input from the other side.
import { MAX_SAMPLES, type Sample, type Work } from './monte-carlo.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Malformed work or result bytes. */
export class WireError extends Error {
  override readonly name = 'WireError';
}

function json(bytes: Uint8Array | null | undefined, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes ?? new Uint8Array()));
  } catch {
    throw new WireError(`${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new WireError(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function wholeNumber(record: Record<string, unknown>, field: string, max: number, what: string): number {
  const v = record[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    throw new WireError(`${what}.${field} must be a whole number in [0, ${max}], got ${JSON.stringify(v)}`);
  return v;
}

/** The bytes of a task's `data`. */
export function encodeWork(work: Work): Uint8Array {
  return encoder.encode(JSON.stringify({ seed: work.seed, samples: work.samples }));
}

/** A task's Work from its `data`; throws a WireError naming what is wrong. */
export function decodeWork(bytes: Uint8Array | null | undefined): Work {
  const r = json(bytes, 'task data');
  return {
    seed: wholeNumber(r, 'seed', 0xffffffff, 'task data'),
    samples: wholeNumber(r, 'samples', MAX_SAMPLES, 'task data'),
  };
}

/** The bytes of the executor's result. */
export function encodeSample(sample: Sample): Uint8Array {
  return encoder.encode(JSON.stringify({ seed: sample.seed, samples: sample.samples, inside: sample.inside }));
}

/** A result from its bytes; throws a WireError when malformed or impossible (inside > samples). */
export function decodeSample(bytes: Uint8Array | null | undefined): Sample {
  const r = json(bytes, 'result');
  const seed = wholeNumber(r, 'seed', 0xffffffff, 'result');
  const samples = wholeNumber(r, 'samples', MAX_SAMPLES, 'result');
  const inside = wholeNumber(r, 'inside', samples, 'result');
  return { seed, samples, inside };
}
