// The web page's script: vanilla JS, no build step. It reads /v2/apps (with
// tasks, counts and deployments embedded) and /v2/deployments, and reads
// them again (debounced) whenever the event stream reports a change.
// Written without template literals, so that it can live in String.raw.

/** The event types after which the page refreshes. */
export const UI_EVENT_TYPES: readonly string[] = [
  'api_post_event',
  'app_terminated_event',
  'status_update_event',
  'instance_changed_event',
  'health_status_changed_event',
  'instance_health_changed_event',
  'deployment_info',
  'deployment_success',
  'deployment_failed',
  'deployment_step_success',
  'deployment_step_failure',
  'group_change_success',
];

/** The script served at /ui/app.js. */
export const PAGE_SCRIPT = String.raw`'use strict';
(function () {
  var APPS_URL = '/v2/apps?embed=apps.tasks&embed=apps.counts&embed=apps.deployments';
  var DEPLOYMENTS_URL = '/v2/deployments';
  var EVENT_TYPES = ${JSON.stringify(UI_EVENT_TYPES)};
  var EVENTS_URL = '/v2/events?' + EVENT_TYPES.map(function (t) { return 'event_type=' + t; }).join('&');
  var ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

  function esc(value) {
    return String(value === null || value === undefined ? '' : value).replace(/[&<>"']/g, function (c) {
      return ENTITIES[c];
    });
  }
  function el(id) { return document.getElementById(id); }
  function setHtml(id, html) { var node = el(id); if (node) node.innerHTML = html; }
  function setStatus(text, bad) {
    var node = el('status');
    if (!node) return;
    node.textContent = text;
    node.className = bad ? 'bad' : '';
  }
  function getJson(url) {
    return fetch(url, { headers: { accept: 'application/json' } }).then(function (res) {
      if (!res.ok) throw new Error(url + ' answered HTTP ' + res.status);
      return res.json();
    });
  }
  function table(headers, rows) {
    return '<table><thead><tr>' + headers.map(function (h) { return '<th>' + esc(h) + '</th>'; }).join('') +
      '</tr></thead><tbody>' + rows.join('') + '</tbody></table>';
  }
  function cells(values) {
    return '<tr>' + values.map(function (v, i) {
      return '<td' + (i === 0 ? ' class="id"' : '') + '>' + v + '</td>';
    }).join('') + '</tr>';
  }

  function renderApps(apps) {
    if (apps.length === 0) return '<p class="empty">No apps yet: POST one to /v2/apps.</p>';
    return table(['id', 'instances', 'running', 'staged', 'healthy', 'unhealthy', 'deployments'], apps.map(function (app) {
      var deployments = (app.deployments || []).map(function (d) { return esc(d.id); }).join(', ');
      return cells([esc(app.id), esc(app.instances), esc(app.tasksRunning || 0), esc(app.tasksStaged || 0),
        esc(app.tasksHealthy || 0), esc(app.tasksUnhealthy || 0), deployments || '-']);
    }));
  }
  function health(task) {
    var results = task.healthCheckResults || [];
    if (results.length === 0) return '-';
    var alive = results.every(function (r) { return r.alive; });
    return alive ? '<span class="good">healthy</span>' : '<span class="bad">unhealthy</span>';
  }
  function renderTasks(apps) {
    var withTasks = apps.filter(function (app) { return (app.tasks || []).length > 0; });
    if (withTasks.length === 0) return '<p class="empty">No tasks.</p>';
    return withTasks.map(function (app) {
      return '<h3>' + esc(app.id) + '</h3>' + table(['task', 'state', 'host', 'ports', 'started', 'health'],
        app.tasks.map(function (t) {
          return cells([esc(t.id), esc(t.state || t.taskStatus || ''), esc(t.host), esc((t.ports || []).join(', ')),
            esc(t.startedAt || ''), health(t)]);
        }));
    }).join('');
  }
  function renderDeployments(deployments) {
    if (deployments.length === 0) return '<p class="empty">No deployments running.</p>';
    return table(['id', 'apps', 'step', 'actions'], deployments.map(function (d) {
      var actions = (d.currentActions || []).map(function (a) { return esc(a.action) + ' ' + esc(a.app); }).join(', ');
      return cells([esc(d.id), esc((d.affectedApps || []).join(', ')),
        esc((d.currentStep || 0) + ' / ' + (d.totalSteps || 0)), actions || '-']);
    }));
  }

  function refresh() {
    return Promise.all([getJson(APPS_URL), getJson(DEPLOYMENTS_URL)]).then(function (answers) {
      var apps = answers[0].apps || [];
      setHtml('apps', renderApps(apps));
      setHtml('tasks', renderTasks(apps));
      setHtml('deployments', renderDeployments(answers[1] || []));
      setStatus('updated ' + new Date().toLocaleTimeString());
    }).catch(function (err) {
      setStatus('cannot read Marathon: ' + err.message, true);
    });
  }

  var pending = null;
  function refreshSoon() {
    if (pending !== null) return;
    pending = setTimeout(function () { pending = null; refresh(); }, 250);
  }

  function listen() {
    if (typeof EventSource === 'undefined') {
      setInterval(refresh, 5000);
      return;
    }
    // The browser reconnects by itself (with Last-Event-ID); read everything again on each (re)connection.
    var source = new EventSource(EVENTS_URL);
    source.addEventListener('open', refreshSoon);
    source.addEventListener('error', function () { setStatus('event stream interrupted; reconnecting…', true); });
    EVENT_TYPES.forEach(function (type) { source.addEventListener(type, refreshSoon); });
  }

  refresh();
  listen();
})();
`;
