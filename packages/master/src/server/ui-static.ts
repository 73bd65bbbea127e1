// The web UI: the single-page app that vite builds into `lib/ui` (index.html
// and hashed files under assets/), served at `/`, `/index.html` and
// `/assets/*`. index.html is never cached (it names the current assets);
// assets are cached for a year (their names change with their content).
// Nothing outside the UI directory is ever served.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the built UI is: `lib/ui`, next to the compiled `lib/src`. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../ui/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = [
  'The Mesocosm web UI is not built.',
  'Build it with vite into packages/master/lib/ui:',
  '  cd packages/master && npx vite build --config ui/vite.config.ts',
  'The operator API (/master/state, /master/state-summary, /metrics, ...) works meanwhile.',
  '',
].join('\n');

/** Whether `path` is one the UI serves. */
export function isUiPath(path: string): boolean {
  return path === '/' || path === '/index.html' || path.startsWith('/assets/') || path === '/favicon.svg';
}

function text(res: ServerResponse, status: number, body: string, head: boolean): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : body);
}

/** The file under `root` that `path` names, or undefined when it would leave `root`. */
function fileOf(root: string, path: string): string | undefined {
  if (path === '/' || path === '/index.html') return join(root, 'index.html');
  let relative: string;
  try {
    relative = decodeURIComponent(path.slice(1));
  } catch {
    return undefined;
  }
  if (relative.includes('\0') || relative.split(/[\\/]/).some((part) => part === '..' || part === '')) return undefined;
  const file = resolve(root, relative);
  return file.startsWith(resolve(root) + sep) ? file : undefined;
}

/**
 * Serves one UI request (GET or HEAD of a path for which {@link isUiPath}
 * holds): 200 with the file, 404 for a missing asset, 503 when the UI is
 * not built.
 */
export async function serveUi(root: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const head = req.method === 'HEAD';
  const file = fileOf(root, path);
  if (file === undefined) return text(res, 404, `no such file: ${path}\n`, head);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    const index = await stat(join(root, 'index.html')).catch(() => undefined);
    if (!index?.isFile()) return text(res, 503, NOT_BUILT, head);
    return text(res, 404, `no such file: ${path}\n`, head);
  }
  const isIndex = file === join(root, 'index.html');
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': isIndex ? 'no-cache' : 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
  });
  if (head) {
    res.end();
    return;
  }
  await new Promise<void>((done) => {
    createReadStream(file)
      .on('error', () => {
        res.destroy();
        done();
      })
      .on('end', done)
      .pipe(res);
  });
}
