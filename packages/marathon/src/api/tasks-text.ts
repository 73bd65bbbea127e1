// GET /v2/tasks as text/plain, the format load balancers (haproxy-marathon-bridge)
// read: one line per app and service port, `app_id<TAB>servicePort<TAB>host:port<TAB>...`.
import type { Json } from '../service/marathon-service.js';

/** Marathon's "safe path": `/prod/web` → `prod_web`. */
export function safePath(id: string): string {
  return id
    .split('/')
    .filter((s) => s !== '')
    .join('_');
}

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((v): v is Json => typeof v === 'object' && v !== null) : [];
}

/** An app's service ports: `ports`, else `portDefinitions[].port`, else `container.portMappings[].servicePort`. */
export function servicePorts(app: Json): number[] {
  const legacy = numbers(app['ports']);
  if (legacy.length > 0) return legacy;
  const defs = records(app['portDefinitions']).map((d) => d['port']);
  if (defs.length > 0) return numbers(defs);
  const container = app['container'];
  const mappings = typeof container === 'object' && container !== null ? (container as Json)['portMappings'] : [];
  return numbers(records(mappings).map((m) => m['servicePort']));
}

/**
 * The text rendering of `tasks` grouped under `apps`. Apps without service
 * ports get one line with a blank port and the task hosts.
 */
export function renderTasksText(apps: readonly Json[], tasks: readonly Json[]): string {
  const byApp = new Map<string, Json[]>();
  for (const task of tasks) {
    const appId = String(task['appId'] ?? '');
    const list = byApp.get(appId) ?? [];
    list.push(task);
    byApp.set(appId, list);
  }
  let out = '';
  for (const app of apps) {
    const id = String(app['id'] ?? '');
    const appTasks = byApp.get(id) ?? [];
    const ports = servicePorts(app);
    if (ports.length === 0) {
      out += `${safePath(id)}\t \t${appTasks.map((t) => `${String(t['host'])}\t`).join('')}\n`;
      continue;
    }
    ports.forEach((port, i) => {
      const endpoints = appTasks.flatMap((t) => {
        const hostPort = numbers(t['ports'])[i];
        return hostPort === undefined ? [] : [`${String(t['host'])}:${hostPort}\t`];
      });
      out += `${safePath(id)}\t${port}\t${endpoints.join('')}\n`;
    });
  }
  return out;
}
