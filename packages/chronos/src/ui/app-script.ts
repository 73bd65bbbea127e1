// ui/app.js: vanilla JS for the page. It polls jobs and the graph JSON every
// few seconds and renders the job table, a history panel (job/stat) and the
// dependency graph as an SVG laid out by level plus a parent → child list.
// Kept as a string so that no bundler or asset copy step is needed; it uses
// no template literals, so it can sit inside this one.

/** How often the page refreshes, in milliseconds. */
export const POLL_INTERVAL_MS = 5000;

/** The JavaScript of `ui/app.js`. */
export const APP_SCRIPT = String.raw`(function () {
  'use strict';
  var API = 'v1/scheduler';
  var POLL_MS = ${POLL_INTERVAL_MS};
  var shown = null;

  function el(id) { return document.getElementById(id); }
  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function request(method, path) {
    return fetch(API + path, { method: method, headers: { accept: 'application/json' } }).then(function (res) {
      if (res.status === 204) return null;
      return res.json().then(function (body) {
        if (!res.ok) throw new Error((body && body.message) || ('HTTP ' + res.status));
        return body;
      });
    });
  }
  function later(a, b) { return a && (!b || Date.parse(a) >= Date.parse(b)); }

  function scheduleOf(job) {
    if (job.parents && job.parents.length) return 'after ' + job.parents.join(', ');
    var zone = job.scheduleTimeZone ? ' (' + job.scheduleTimeZone + ')' : '';
    if (job.cron) return 'cron ' + job.cron + zone;
    return (job.schedule || '') + zone;
  }
  function nextRunOf(job) {
    if (job.disabled) return 'disabled';
    if (job.nextRun) return job.nextRun;
    if (job.parents && job.parents.length) return 'when its parents succeed';
    if (job.schedule) {
      var parts = job.schedule.split('/');
      if (parts[0] === 'R0') return 'finished';
      return parts[1] || 'now';
    }
    return '';
  }
  function outcomeOf(job, node) {
    var status = node && node.lastStatus;
    if (later(job.lastSuccess, job.lastError)) return '<span class="success">success</span> ' + esc(job.lastSuccess);
    if (job.lastError) return '<span class="failure">failure</span> ' + esc(job.lastError);
    if (status === 'running' || (node && node.state === 'running')) return '<span class="running">running</span>';
    return '<span class="muted">never run</span>';
  }

  function renderJobs(jobs, graph) {
    var nodes = {};
    (graph.nodes || []).forEach(function (n) { nodes[n.name] = n; });
    if (jobs.length === 0) {
      el('jobs').innerHTML = '<tr><td colspan="7" class="muted">no jobs yet: POST one to ' + API + '/iso8601</td></tr>';
      return;
    }
    el('jobs').innerHTML = jobs.map(function (job) {
      var name = esc(job.name);
      return '<tr><td><a href="#" data-history="' + name + '">' + name + '</a></td>' +
        '<td><code>' + esc(scheduleOf(job)) + '</code></td>' +
        '<td>' + esc(nextRunOf(job)) + '</td>' +
        '<td>' + outcomeOf(job, nodes[job.name]) + '</td>' +
        '<td class="num">' + esc(job.successCount || 0) + '</td>' +
        '<td class="num">' + esc(job.errorCount || 0) + '</td>' +
        '<td><button data-run="' + name + '">run now</button></td></tr>';
    }).join('');
  }

  // Level of a node: the longest parent chain above it (roots are level 0).
  function levels(nodes, edges) {
    var level = {};
    nodes.forEach(function (n) { level[n.name] = 0; });
    for (var round = 0; round <= nodes.length; round++) {
      var changed = false;
      edges.forEach(function (e) {
        var want = (level[e.parent] || 0) + 1;
        if ((level[e.child] || 0) < want) { level[e.child] = want; changed = true; }
      });
      if (!changed) break;
    }
    return level;
  }

  function renderGraph(graph) {
    var nodes = graph.nodes || [];
    var edges = graph.edges || [];
    el('edges').innerHTML = edges.length === 0
      ? '<li class="muted">no dependencies</li>'
      : edges.map(function (e) { return '<li>' + esc(e.parent) + ' → ' + esc(e.child) + '</li>'; }).join('');
    if (nodes.length === 0) { el('graph-svg').innerHTML = ''; return; }
    var level = levels(nodes, edges);
    var rows = {};
    var at = {};
    var W = 160, H = 26, GX = 60, GY = 14;
    var width = 0, height = 0;
    nodes.forEach(function (n) {
      var col = level[n.name] || 0;
      var row = rows[col] || 0;
      rows[col] = row + 1;
      at[n.name] = { x: 10 + col * (W + GX), y: 10 + row * (H + GY) };
      width = Math.max(width, at[n.name].x + W + 10);
      height = Math.max(height, at[n.name].y + H + 10);
    });
    var fill = { success: '#d8f5dd', failure: '#f9d6d5', running: '#dbe6fa' };
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + width + '" height="' + height + '">';
    edges.forEach(function (e) {
      var p = at[e.parent], c = at[e.child];
      if (!p || !c) return;
      svg += '<line x1="' + (p.x + W) + '" y1="' + (p.y + H / 2) + '" x2="' + c.x + '" y2="' + (c.y + H / 2) +
        '" stroke="#888"/>';
    });
    nodes.forEach(function (n) {
      var p = at[n.name];
      svg += '<rect x="' + p.x + '" y="' + p.y + '" width="' + W + '" height="' + H + '" rx="4" fill="' +
        (fill[n.lastStatus] || '#fff') + '" stroke="#666"><title>' + esc(n.name + ': ' + (n.lastStatus || 'never run')) +
        '</title></rect><text x="' + (p.x + 8) + '" y="' + (p.y + 17) + '">' + esc(n.name) + '</text>';
    });
    el('graph-svg').innerHTML = svg + '</svg>';
  }

  function showHistory(name) {
    shown = name;
    return request('GET', '/job/stat/' + encodeURIComponent(name)).then(function (stat) {
      el('history-section').hidden = false;
      el('history-title').textContent = 'History of ' + name;
      var runs = stat.taskStatHistory || [];
      el('history').innerHTML = runs.length === 0 ? '<p class="muted">no runs yet</p>' :
        '<table><thead><tr><th>run</th><th>scheduled</th><th>started</th><th>outcome</th><th>duration</th>' +
        '<th>attempt</th><th>output</th></tr></thead><tbody>' + runs.map(function (r) {
          var out = (r.stdoutUrl ? '<a href="' + esc(r.stdoutUrl) + '">stdout</a> ' : '') +
            (r.stderrUrl ? '<a href="' + esc(r.stderrUrl) + '">stderr</a>' : '');
          return '<tr><td><code>' + esc(r.runId) + '</code></td><td>' + esc(r.scheduledAt) + '</td><td>' +
            esc(r.startedAt || '') + '</td><td class="' + esc(r.outcome) + '">' + esc(r.outcome) +
            (r.reason ? ' (' + esc(r.reason) + ')' : '') + '</td><td class="num">' +
            (r.durationMs === undefined ? '' : esc((r.durationMs / 1000).toFixed(1) + ' s')) + '</td><td class="num">' +
            esc(r.attempt) + '</td><td>' + out + '</td></tr>';
        }).join('') + '</tbody></table>';
    });
  }

  function setStatus(text, isError) {
    var s = el('status');
    s.textContent = text;
    s.className = isError ? 'error' : '';
  }

  function refresh() {
    return Promise.all([request('GET', '/jobs'), request('GET', '/graph/json')]).then(function (both) {
      renderJobs(both[0], both[1]);
      renderGraph(both[1]);
      setStatus(both[0].length + ' jobs, updated ' + new Date().toLocaleTimeString(), false);
      if (shown !== null) return showHistory(shown);
    }).catch(function (err) { setStatus('cannot load: ' + err.message, true); });
  }

  document.addEventListener('click', function (event) {
    var target = event.target;
    if (!target || !target.getAttribute) return;
    var history = target.getAttribute('data-history');
    var run = target.getAttribute('data-run');
    if (history) {
      event.preventDefault();
      showHistory(history).catch(function (err) { setStatus('cannot load history: ' + err.message, true); });
    } else if (run) {
      request('PUT', '/job/' + encodeURIComponent(run)).then(function () {
        return refresh().then(function () { setStatus('started ' + run, false); });
      }).catch(function (err) { setStatus('cannot run ' + run + ': ' + err.message, true); });
    }
  });

  refresh();
  setInterval(refresh, POLL_MS);
})();
`;
