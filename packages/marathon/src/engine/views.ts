// The read side of the service: apps with counts and embeds, tasks, the
// queue, deployments, as Marathon's JSON.

import type { AppDefinition } from '../model/app-definition.js';
import { renderApp } from '../model/render-app.js';
import { renderDeployment } from '../planner/render-deployment.js';
import type { AppEmbed, AppFilter, Json } from '../service/marathon-service.js';
import type { MarathonEngine } from './engine.js';
import { appCounts, offersSummary, taskJson } from './render.js';

/** An app with counts, its deployments and the embeds asked for. */
export function appJson(e: MarathonEngine, app: AppDefinition, embed: readonly AppEmbed[]): Json {
  const now = e.clock.now();
  const instances = e.book.ofApp(app.id);
  const json: Json = {
    ...renderApp(app),
    ...appCounts(app, instances, now),
    deployments: [...e.deployments.values()]
      .filter((d) => d.plan.affectedApps.includes(app.id))
      .map((d) => ({ id: d.plan.id })),
  };
  if (embed.includes('tasks')) {
    json.tasks = instances.filter((r) => r.state !== 'pending').map((r) => taskJson(r, app));
  }
  if (embed.includes('lastTaskFailure')) {
    const f = e.lastFailures.get(app.id);
    if (f) json.lastTaskFailure = { ...f };
  }
  if (embed.includes('readiness')) json.readinessCheckResults = e.readiness.pending(app.id);
  if (embed.includes('taskStats')) json.taskStats = {};
  return json;
}

/** Marathon's label selector: `k==v`, `k!=v`, `k` (present), comma-separated, all must hold. */
export function matchesLabels(labels: Readonly<Record<string, string>>, selector: string): boolean {
  return selector
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .every((term) => {
      const ne = term.indexOf('!=');
      if (ne > 0) return labels[term.slice(0, ne).trim()] !== term.slice(ne + 2).trim();
      const eq = term.indexOf('==');
      if (eq > 0) return labels[term.slice(0, eq).trim()] === term.slice(eq + 2).trim();
      return labels[term] !== undefined;
    });
}

/** GET /v2/apps. */
export function listApps(e: MarathonEngine, filter: AppFilter = {}): Json[] {
  const embed = filter.embed ?? [];
  return [...e.apps.values()]
    .filter((a) => filter.id === undefined || a.id.toLowerCase().includes(filter.id.toLowerCase()))
    .filter((a) => filter.cmd === undefined || (a.cmd ?? '').includes(filter.cmd))
    .filter((a) => filter.label === undefined || matchesLabels(a.labels, filter.label))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((a) => appJson(e, a, embed));
}

/** `status` of GET /v2/tasks (`running`, `staging`, ...) as task states. */
function statusMatches(state: string, status: string | undefined): boolean {
  if (status === undefined || status === '') return true;
  const wanted = status.split(',').map((s) => `TASK_${s.trim().toUpperCase()}`);
  return wanted.includes(state);
}

/** GET /v2/tasks. */
export function tasks(e: MarathonEngine, status?: string): Json[] {
  return e.book
    .all()
    .filter((r) => r.state !== 'pending')
    .map((r) => taskJson(r, e.apps.get(r.appId)))
    .filter((t) => statusMatches(String(t.state), status));
}

/** GET /v2/deployments. */
export function deployments(e: MarathonEngine): Json[] {
  return [...e.deployments.values()].map((d) =>
    renderDeployment(d.plan, Math.min(d.step + 1, d.plan.steps.length), (appId) => e.readiness.pending(appId)),
  );
}

/** GET /v2/queue items: apps with instances waiting for an offer, or held back by the launch delay. */
export function queue(e: MarathonEngine, stats: MarathonEngine['cluster']): Json[] {
  const now = e.clock.now();
  const out: Json[] = [];
  for (const app of e.apps.values()) {
    const waiting = e.book.ofApp(app.id).filter((r) => r.state === 'pending');
    const notBefore = e.backoff.notBefore(app);
    if (waiting.length === 0 && notBefore <= now) continue;
    const since = Math.min(...waiting.map((r) => r.createdAt), now);
    out.push({
      app: renderApp(app),
      count: waiting.length,
      delay: { timeLeftSeconds: Math.max(0, Math.ceil((notBefore - now) / 1000)), overdue: notBefore <= now },
      since: new Date(since).toISOString(),
      processedOffersSummary: offersSummary(stats?.offerStats(app.id)),
      lastUnusedOffers: [],
    });
  }
  return out;
}
