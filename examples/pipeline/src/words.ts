// Counting words, splitting the input into chunks, ranking the result. Pure.

/** A piece of the input, sent to one counting executor. */
export interface Chunk {
  id: number;
  text: string;
}

/** Word -> occurrences. */
export type WordCounts = Map<string, number>;

/** Largest chunk of input text, in bytes (far below the 1 MiB a message may hold). */
export const MAX_CHUNK_BYTES = 64 * 1024;

/** Input the pipeline cannot take. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** The words of `text`, lower-cased: runs of letters and digits, with inner apostrophes (`don't`). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu) ?? [];
}

/** How often each word occurs in `text`. */
export function countWords(text: string): WordCounts {
  const counts: WordCounts = new Map();
  for (const w of words(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

/** Adds `more` into `into`. */
export function addCounts(into: WordCounts, more: Iterable<readonly [string, number]>): void {
  for (const [w, n] of more) into.set(w, (into.get(w) ?? 0) + n);
}

/** The `k` most frequent words, most frequent first; ties in alphabetical order. */
export function topWords(counts: WordCounts, k: number): Array<[string, number]> {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, k);
}

/** Total occurrences. */
export function totalWords(counts: WordCounts): number {
  let n = 0;
  for (const c of counts.values()) n += c;
  return n;
}

/**
 * Splits `text` into chunks of at most `lines` non-blank lines (and
 * {@link MAX_CHUNK_BYTES}). Throws an InputError for a line over that size, or
 * for input without a single word.
 */
export function chunkText(text: string, lines: number): Chunk[] {
  const encoder = new TextEncoder();
  const chunks: Chunk[] = [];
  let current: string[] = [];
  let bytes = 0;
  const flush = (): void => {
    if (current.length > 0) chunks.push({ id: chunks.length + 1, text: current.join('\n') });
    [current, bytes] = [[], 0];
  };
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const size = encoder.encode(line).length + 1;
    if (size > MAX_CHUNK_BYTES) throw new InputError(`line ${i + 1} is ${size} bytes long; at most ${MAX_CHUNK_BYTES}`);
    if (current.length >= lines || bytes + size > MAX_CHUNK_BYTES) flush();
    current.push(line);
    bytes += size;
  });
  flush();
  if (!chunks.some((c) => words(c.text).length > 0)) throw new InputError('the input holds no words');
  return chunks;
}
