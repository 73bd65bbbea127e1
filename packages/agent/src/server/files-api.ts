// `/files/browse`, `/files/read`, `/files/download` over the sandboxes, as
// Mesos' files endpoints. Every path goes through containPath first.
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { containPath } from '../sandbox/contain-path.js';
import { HttpError, sendJson } from './http-util.js';

/** Largest chunk `/files/read` returns at once. */
export const MAX_READ_LENGTH = 1024 * 1024;

async function resolveRequested(root: string, query: URLSearchParams): Promise<string> {
  const path = query.get('path');
  if (path === null || path === '') throw new HttpError(400, "missing query parameter 'path'");
  try {
    return await containPath(root, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new HttpError(404, `'${path}' does not exist`);
    throw err;
  }
}

function modeString(mode: number, isDir: boolean): string {
  const bits = 'rwxrwxrwx';
  let out = isDir ? 'd' : '-';
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? bits[i] : '-';
  return out;
}

/** `GET /files/browse?path=DIR`: the entries of a directory, as Mesos lists them. */
export async function browse(root: string, query: URLSearchParams, res: ServerResponse): Promise<void> {
  const dir = await resolveRequested(root, query);
  const st = await stat(dir);
  if (!st.isDirectory()) throw new HttpError(400, `'${query.get('path') ?? ''}' is not a directory`);
  const names = await readdir(dir);
  const entries = await Promise.all(
    names.sort().map(async (name) => {
      const s = await stat(join(dir, name));
      return {
        path: join(query.get('path') ?? '', name),
        size: s.size,
        mtime: Math.floor(s.mtimeMs / 1000),
        mode: modeString(s.mode, s.isDirectory()),
        nlink: s.nlink,
        uid: String(s.uid),
        gid: String(s.gid),
      };
    }),
  );
  sendJson(res, 200, entries);
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new HttpError(400, `'${name}' must be an integer, got '${v}'`);
  return n;
}

/**
 * `GET /files/read?path=FILE&offset=N&length=N`: `{data, offset}`. Without
 * an offset (or -1), returns no data and the file's size as offset, as Mesos
 * does, so that a log viewer can start at the end.
 */
export async function read(root: string, query: URLSearchParams, res: ServerResponse): Promise<void> {
  const file = await resolveRequested(root, query);
  const offset = intParam(query, 'offset') ?? -1;
  const length = intParam(query, 'length');
  if (offset < -1) throw new HttpError(400, `'offset' must be -1 or more, got ${offset}`);
  if (length !== undefined && length < 0) throw new HttpError(400, `'length' must not be negative, got ${length}`);
  const handle = await open(file, 'r');
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new HttpError(400, `'${query.get('path') ?? ''}' is not a file`);
    if (offset === -1) return sendJson(res, 200, { data: '', offset: st.size });
    const start = Math.min(offset, st.size);
    const want = Math.min(length ?? MAX_READ_LENGTH, MAX_READ_LENGTH, st.size - start);
    const buffer = Buffer.alloc(want);
    const { bytesRead } = await handle.read(buffer, 0, want, start);
    sendJson(res, 200, { data: buffer.subarray(0, bytesRead).toString('utf8'), offset: start });
  } finally {
    await handle.close();
  }
}

/** `GET /files/download?path=FILE`: the file's bytes, as an attachment. */
export async function download(root: string, query: URLSearchParams, res: ServerResponse): Promise<void> {
  const file = await resolveRequested(root, query);
  const st = await stat(file);
  if (!st.isFile()) throw new HttpError(400, `'${query.get('path') ?? ''}' is not a file`);
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': String(st.size),
    'content-disposition': `attachment; filename="${basename(file).replace(/"/g, '')}"`,
    'access-control-allow-origin': '*',
  });
  await new Promise<void>((resolve, reject) => {
    createReadStream(file).on('error', reject).on('end', resolve).pipe(res);
  });
}
