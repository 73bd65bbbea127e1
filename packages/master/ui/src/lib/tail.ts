// A live tail of a sandbox file read in chunks through /files/read. Pure.
import type { ReadChunk } from './types.js';

/** How far back from the end a tail starts. */
export const TAIL_START_BYTES = 64 * 1024;
/** Most bytes asked for per read. */
export const TAIL_READ_BYTES = 64 * 1024;
/** Most characters kept on screen; older text is dropped. */
export const TAIL_KEEP_CHARS = 256 * 1024;

/** What a tail has read. */
export interface TailState {
  /** The file offset the next read starts at. */
  readonly offset: number;
  readonly text: string;
  /** True when the start of the file is not shown. */
  readonly clipped: boolean;
}

/** Where to start reading a file of `size` bytes. */
export function tailStart(size: number): TailState {
  const offset = Math.max(0, size - TAIL_START_BYTES);
  return { offset, text: '', clipped: offset > 0 };
}

const encoder = new TextEncoder();

/**
 * The tail after one chunk. A chunk before the current offset means the file
 * was truncated or replaced: start over from it.
 */
export function appendChunk(state: TailState, chunk: ReadChunk, keepChars = TAIL_KEEP_CHARS): TailState {
  const bytes = encoder.encode(chunk.data).length;
  if (chunk.offset < state.offset) {
    return { offset: chunk.offset + bytes, text: chunk.data.slice(-keepChars), clipped: chunk.offset > 0 };
  }
  if (bytes === 0) return chunk.offset === state.offset ? state : { ...state, offset: chunk.offset };
  const text = state.text + chunk.data;
  const clipped = state.clipped || text.length > keepChars || chunk.offset > state.offset;
  return { offset: chunk.offset + bytes, text: text.length > keepChars ? text.slice(-keepChars) : text, clipped };
}
