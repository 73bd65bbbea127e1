// The web page at `/`: static HTML that loads ui/app.js (no build step).
// Paths are relative, so the page also works behind a path-prefixing proxy.

/** The HTML of `/`. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chronos on Mesocosm</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
  h1 { font-size: 1.4em; margin: 0 0 .2em; }
  h2 { font-size: 1.1em; margin: 1.5em 0 .5em; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .3em .6em; border-bottom: 1px solid #ddd; vertical-align: top; }
  th { background: #f4f4f4; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  code { font-size: .95em; }
  .success { color: #17692b; } .failure { color: #a31515; } .running { color: #1c4fa0; } .muted { color: #777; }
  #status { color: #777; } #status.error { color: #a31515; }
  button { font: inherit; padding: .1em .6em; }
  svg text { font: 12px system-ui, sans-serif; }
</style>
</head>
<body>
<h1>Chronos</h1>
<div id="status">loading…</div>
<h2>Jobs</h2>
<table>
  <thead><tr><th>job</th><th>schedule</th><th>next run</th><th>last outcome</th><th>successes</th><th>errors</th><th></th></tr></thead>
  <tbody id="jobs"><tr><td colspan="7" class="muted">loading…</td></tr></tbody>
</table>
<section id="history-section" hidden>
  <h2 id="history-title">History</h2>
  <div id="history"></div>
</section>
<h2>Dependencies</h2>
<div id="graph-svg"></div>
<ul id="edges"></ul>
<script src="ui/app.js" defer></script>
</body>
</html>
`;
