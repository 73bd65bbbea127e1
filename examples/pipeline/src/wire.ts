// The messages of the pipeline, as JSON bytes in framework MESSAGE calls
// (framework -> executor) and executor MESSAGE calls (executor -> framework).
// Pure. Decoding checks the shape: it is input from the other side.
//
//   framework -> counter   count {id, text}        stop
//   counter -> framework   counted {id, words}
//   framework -> merger    merge {id, words}       finish {ids}    stop
//   merger -> framework    missing {ids}           merged {chunks, total, distinct, top}

/** Word and count pairs. */
export type WordList = Array<[string, number]>;

/** What the framework sends a stage executor. */
export type ToStage =
  | { type: 'count'; id: number; text: string }
  | { type: 'merge'; id: number; words: WordList }
  /** Every chunk ID: the merger answers `merged` if it holds them all, else `missing`. */
  | { type: 'finish'; ids: number[] }
  /** Ends the stage's task (TASK_FINISHED). */
  | { type: 'stop' };

/** What a stage executor sends the framework. */
export type FromStage =
  | { type: 'counted'; id: number; words: WordList }
  | { type: 'missing'; ids: number[] }
  | { type: 'merged'; chunks: number; total: number; distinct: number; top: WordList };

/** A message that is not one of the pipeline's. */
export class MessageFormatError extends Error {
  override readonly name = 'MessageFormatError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The bytes of a message. */
export function encodeMessage(message: ToStage | FromStage): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

type Fields = Record<string, unknown>;

function object(bytes: Uint8Array | null | undefined): Fields {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes ?? new Uint8Array()));
  } catch {
    throw new MessageFormatError('message is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MessageFormatError('message is not a JSON object');
  return value as Fields;
}

const count = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function field<T>(m: Fields, name: string, ok: (v: unknown) => v is T, what: string): T {
  const v = m[name];
  if (!ok(v)) throw new MessageFormatError(`${String(m['type'])}.${name} must be ${what}`);
  return v;
}

const isCount = (v: unknown): v is number => count(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isIds = (v: unknown): v is number[] => Array.isArray(v) && v.every(count);
const isWords = (v: unknown): v is WordList =>
  Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && count(p[1]));

/** A message for a stage executor; throws a MessageFormatError. */
export function decodeToStage(bytes: Uint8Array | null | undefined): ToStage {
  const m = object(bytes);
  switch (m['type']) {
    case 'count':
      return { type: 'count', id: field(m, 'id', isCount, 'a count'), text: field(m, 'text', isString, 'a string') };
    case 'merge':
      return {
        type: 'merge',
        id: field(m, 'id', isCount, 'a count'),
        words: field(m, 'words', isWords, 'word and count pairs'),
      };
    case 'finish':
      return { type: 'finish', ids: field(m, 'ids', isIds, 'a list of chunk IDs') };
    case 'stop':
      return { type: 'stop' };
    default:
      throw new MessageFormatError(`unknown message type ${JSON.stringify(m['type'])}`);
  }
}

/** A message from a stage executor; throws a MessageFormatError. */
export function decodeFromStage(bytes: Uint8Array | null | undefined): FromStage {
  const m = object(bytes);
  switch (m['type']) {
    case 'counted':
      return {
        type: 'counted',
        id: field(m, 'id', isCount, 'a count'),
        words: field(m, 'words', isWords, 'word and count pairs'),
      };
    case 'missing':
      return { type: 'missing', ids: field(m, 'ids', isIds, 'a list of chunk IDs') };
    case 'merged':
      return {
        type: 'merged',
        chunks: field(m, 'chunks', isCount, 'a count'),
        total: field(m, 'total', isCount, 'a count'),
        distinct: field(m, 'distinct', isCount, 'a count'),
        top: field(m, 'top', isWords, 'word and count pairs'),
      };
    default:
      throw new MessageFormatError(`unknown message type ${JSON.stringify(m['type'])}`);
  }
}
