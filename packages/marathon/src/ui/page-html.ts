// The web page's HTML: a static shell whose sections the script fills.
// Kept as a string constant so that `tsc` alone builds the package.

/** Where the page's script is served. */
export const UI_SCRIPT_PATH = '/ui/app.js';

/** The page served at `/` and `/ui/`. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Marathon on Mesocosm</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2330; }
  h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid #d8dce6; }
  h3 { font-size: .95rem; margin: 1rem 0 .25rem; font-family: ui-monospace, monospace; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .2rem .6rem; border-bottom: 1px solid #eef0f5; }
  th { font-weight: 600; color: #4a5266; }
  td.id { font-family: ui-monospace, monospace; }
  .empty, #status { color: #6b7386; }
  .bad { color: #b3261e; }
  .good { color: #1e7a34; }
</style>
</head>
<body>
<h1>Marathon on Mesocosm</h1>
<div id="status">loading…</div>
<h2>Apps</h2>
<div id="apps"></div>
<h2>Deployments</h2>
<div id="deployments"></div>
<h2>Tasks</h2>
<div id="tasks"></div>
<script src="${UI_SCRIPT_PATH}" defer></script>
</body>
</html>
`;
