// Answers shared by several routes: deployment results and kill results.
import type { AppEmbed, DeploymentResult, Json } from '../service/marathon-service.js';
import type { Reply } from './http-io.js';

/** 200 (or `status`) with Marathon's `{version, deploymentId}` and its `Marathon-Deployment-Id` header. */
export function deploymentReply(result: DeploymentResult, status = 200, headers: Record<string, string> = {}): Reply {
  return {
    status,
    body: { version: result.version, deploymentId: result.deploymentId },
    headers: { 'marathon-deployment-id': result.deploymentId, ...headers },
  };
}

/** What killTasks returned: the killed tasks, or the scale-down deployment. */
export function killReply(result: { tasks: Json[] } | DeploymentResult, single = false): Reply {
  if ('tasks' in result) {
    return { status: 200, body: single ? { task: result.tasks[0] ?? null } : { tasks: result.tasks } };
  }
  return deploymentReply(result);
}

const EMBED_NAMES: Record<string, readonly AppEmbed[]> = {
  tasks: ['tasks'],
  deployments: ['deployments'],
  lastTaskFailure: ['lastTaskFailure'],
  counts: ['counts'],
  readiness: ['readiness'],
  taskStats: ['taskStats'],
  // Marathon's legacy `apps.failures`: the tasks and the last failure.
  failures: ['tasks', 'lastTaskFailure'],
};

/**
 * The `embed` query values (`apps.tasks`, `app.counts`, repeatable or
 * comma-separated). Counts and deployments are always embedded, as Marathon
 * does; unknown values are ignored, as Marathon does.
 */
export function parseEmbed(url: URL): AppEmbed[] {
  const out = new Set<AppEmbed>(['counts', 'deployments']);
  for (const raw of url.searchParams.getAll('embed')) {
    for (const value of raw.split(',')) {
      const name = value.trim().replace(/^apps?\./, '');
      for (const embed of EMBED_NAMES[name] ?? []) out.add(embed);
    }
  }
  return [...out];
}

/** True when the client asks for text/plain rather than JSON (Marathon's task list formats). */
export function wantsText(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept.includes('text/plain') && !accept.includes('application/json');
}
