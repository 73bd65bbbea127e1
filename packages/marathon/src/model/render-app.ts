// renderApp: an AppDefinition as Marathon's GET /v2/apps/{id} shows it
// (1.5+ shapes: `networks`, `container.portMappings`, `fetch`), with the
// unknown fields it was created with.

import type { AppDefinition, ContainerSpec, HealthCheck, PortMapping } from './app-definition.js';
import { renderConstraint } from './constraint.js';

type Json = Record<string, unknown>;

function renderNetworks(app: AppDefinition): Json[] {
  if (app.network === 'HOST') return [{ mode: 'host' }];
  if (app.network === 'BRIDGE') return [{ mode: 'container/bridge' }];
  return [app.networkName === undefined ? { mode: 'container' } : { mode: 'container', name: app.networkName }];
}

function renderMapping(m: PortMapping): Json {
  return {
    containerPort: m.containerPort,
    ...(m.hostPort === undefined ? {} : { hostPort: m.hostPort }),
    servicePort: m.servicePort,
    protocol: m.protocol,
    ...(m.name === undefined ? {} : { name: m.name }),
    labels: { ...m.labels },
  };
}

function renderContainer(c: ContainerSpec): Json {
  return {
    type: c.type,
    ...(c.docker === undefined
      ? {}
      : {
          docker: {
            image: c.docker.image,
            forcePullImage: c.docker.forcePullImage,
            privileged: c.docker.privileged,
            parameters: c.docker.parameters.map((p) => ({ ...p })),
          },
        }),
    portMappings: c.portMappings.map(renderMapping),
    volumes: c.volumes.map((v) => ({
      containerPath: v.containerPath,
      ...(v.hostPath === undefined ? {} : { hostPath: v.hostPath }),
      mode: v.mode,
      ...(v.persistent === undefined ? {} : { persistent: { ...v.persistent } }),
    })),
  };
}

function renderHealthCheck(h: HealthCheck): Json {
  return {
    protocol: h.protocol,
    ...(h.path === undefined ? {} : { path: h.path }),
    ...(h.portIndex === undefined ? {} : { portIndex: h.portIndex }),
    ...(h.port === undefined ? {} : { port: h.port }),
    ...(h.command === undefined ? {} : { command: { ...h.command } }),
    gracePeriodSeconds: h.gracePeriodSeconds,
    intervalSeconds: h.intervalSeconds,
    timeoutSeconds: h.timeoutSeconds,
    maxConsecutiveFailures: h.maxConsecutiveFailures,
    delaySeconds: h.delaySeconds,
    ignoreHttp1xx: h.ignoreHttp1xx,
  };
}

/** The JSON Marathon returns for `app` (without task counts, which the API layer adds). */
export function renderApp(app: AppDefinition): Json {
  return {
    ...app.extra,
    id: app.id,
    ...(app.cmd === undefined ? {} : { cmd: app.cmd }),
    ...(app.args === undefined ? {} : { args: [...app.args] }),
    ...(app.user === undefined ? {} : { user: app.user }),
    env: { ...app.env },
    instances: app.instances,
    cpus: app.cpus,
    mem: app.mem,
    disk: app.disk,
    gpus: app.gpus,
    constraints: app.constraints.map(renderConstraint),
    ...(app.acceptedResourceRoles === undefined ? {} : { acceptedResourceRoles: [...app.acceptedResourceRoles] }),
    fetch: app.fetch.map((f) => ({ ...f })),
    backoffSeconds: app.backoffSeconds,
    backoffFactor: app.backoffFactor,
    maxLaunchDelaySeconds: app.maxLaunchDelaySeconds,
    ...(app.container === undefined ? {} : { container: renderContainer(app.container) }),
    networks: renderNetworks(app),
    healthChecks: app.healthChecks.map(renderHealthCheck),
    readinessChecks: app.readinessChecks.map((r) => ({
      ...r,
      httpStatusCodesForReady: [...r.httpStatusCodesForReady],
    })),
    dependencies: [...app.dependencies],
    upgradeStrategy: { ...app.upgradeStrategy },
    labels: { ...app.labels },
    portDefinitions: app.portDefinitions.map((d) => ({
      port: d.port,
      protocol: d.protocol,
      ...(d.name === undefined ? {} : { name: d.name }),
      labels: { ...d.labels },
    })),
    requirePorts: app.requirePorts,
    killSelection: app.killSelection,
    unreachableStrategy: app.unreachableStrategy === 'disabled' ? 'disabled' : { ...app.unreachableStrategy },
    ...(app.taskKillGracePeriodSeconds === undefined
      ? {}
      : { taskKillGracePeriodSeconds: app.taskKillGracePeriodSeconds }),
    ...(app.version === undefined ? {} : { version: app.version }),
    ...(app.versionInfo === undefined ? {} : { versionInfo: { ...app.versionInfo } }),
  };
}
