// The page's two static files, answered by path.
import type { Reply } from '../api/http-io.js';
import { APP_SCRIPT } from './app-script.js';
import { PAGE_HTML } from './page-html.js';

/** Paths the UI serves. */
export const UI_PATHS = ['/', '/index.html', '/ui/app.js'] as const;

/** The reply for a UI path (GET or HEAD), undefined for any other path. */
export function uiReply(path: string): Reply | undefined {
  if (path === '/' || path === '/index.html') {
    return { status: 200, text: PAGE_HTML, contentType: 'text/html; charset=utf-8' };
  }
  if (path === '/ui/app.js') return { status: 200, text: APP_SCRIPT, contentType: 'text/javascript; charset=utf-8' };
  return undefined;
}
