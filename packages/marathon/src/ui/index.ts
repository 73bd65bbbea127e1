// The web page: static HTML and one vanilla script, served by the REST API.
import { PAGE_HTML, UI_SCRIPT_PATH } from './page-html.js';
import { PAGE_SCRIPT } from './page-script.js';

export { PAGE_HTML, UI_SCRIPT_PATH } from './page-html.js';
export { PAGE_SCRIPT, UI_EVENT_TYPES } from './page-script.js';

/** A static file of the page. */
export interface UiAsset {
  readonly contentType: string;
  readonly text: string;
}

/** The page's file at `path` (`/`, `/ui`, `/ui/`, `/ui/index.html`, `/ui/app.js`), or undefined. */
export function uiAsset(path: string): UiAsset | undefined {
  if (path === '/' || path === '/ui' || path === '/ui/' || path === '/ui/index.html') {
    return { contentType: 'text/html; charset=utf-8', text: PAGE_HTML };
  }
  if (path === UI_SCRIPT_PATH) return { contentType: 'text/javascript; charset=utf-8', text: PAGE_SCRIPT };
  return undefined;
}
