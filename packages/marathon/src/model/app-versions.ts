// Versions of an app. Every change gets a version timestamp; versionInfo
// tells a scale-only change (lastScalingAt) from a change of the definition
// (lastConfigChangeAt), which is what decides scale versus rolling restart.

import type { AppDefinition } from './app-definition.js';
import { parseApp } from './parse-app.js';
import { renderApp } from './render-app.js';
import { AppValidationError } from '../errors.js';
import { isObject, jsonType } from './problems.js';

/** What changed between two definitions of one app. */
export type AppChange = 'none' | 'scale' | 'config';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A stable text of everything in `app` that, when changed, needs new tasks (all but instances and versions). */
export function configKey(app: AppDefinition): string {
  const { instances: _i, version: _v, versionInfo: _vi, ...config } = renderApp(app);
  return canonical(config);
}

/** Compares two definitions of the same app. */
export function classifyChange(previous: AppDefinition, next: AppDefinition): AppChange {
  if (configKey(previous) !== configKey(next)) return 'config';
  return previous.instances === next.instances ? 'none' : 'scale';
}

/**
 * A version string for a change at `now` (ms), strictly after `previous` when
 * given, so that two changes in the same millisecond still differ.
 */
export function nextVersion(now: number, previous?: string): string {
  let at = now;
  if (previous !== undefined) {
    const prev = Date.parse(previous);
    if (Number.isFinite(prev) && at <= prev) at = prev + 1;
  }
  return new Date(at).toISOString();
}

/**
 * Gives `next` its version: a new app or a config change moves both
 * timestamps, a scale-only change moves lastScalingAt, no change keeps both.
 */
export function stampVersion(previous: AppDefinition | undefined, next: AppDefinition, now: number): AppDefinition {
  const version = nextVersion(now, previous?.version);
  const change = previous === undefined ? 'config' : classifyChange(previous, next);
  const before = previous?.versionInfo;
  if (change === 'config' || before === undefined) {
    return { ...next, version, versionInfo: { lastScalingAt: version, lastConfigChangeAt: version } };
  }
  if (change === 'scale') return { ...next, version, versionInfo: { ...before, lastScalingAt: version } };
  return { ...next, version, versionInfo: { ...before } };
}

/** `POST /v2/apps/{id}/restart`: the same definition as a new config version, so every task is replaced. */
export function restartApp(app: AppDefinition, now: number): AppDefinition {
  const version = nextVersion(now, app.version);
  return { ...app, version, versionInfo: { lastScalingAt: version, lastConfigChangeAt: version } };
}

/**
 * `PATCH /v2/apps/{id}`: the fields of `partial` replace the existing app's
 * (top-level; a nested object is replaced whole, `null` resets a field to its
 * default); the result is parsed and validated again. Versions are left to
 * {@link stampVersion}.
 */
export function patchApp(existing: AppDefinition, partial: unknown): AppDefinition {
  if (!isObject(partial)) {
    throw new AppValidationError([{ path: '/', errors: [`expected an object, got ${jsonType(partial)}`] }]);
  }
  const { version: _v, versionInfo: _vi, ...raw } = renderApp(existing);
  const merged: Record<string, unknown> = { ...raw };
  for (const [key, value] of Object.entries(partial)) {
    if (key === 'version' || key === 'versionInfo') continue;
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  // A patch that gives cmd drops the old args, and the other way round.
  if ('cmd' in partial && !('args' in partial)) delete merged.args;
  if ('args' in partial && !('cmd' in partial)) delete merged.cmd;
  // Switching networking style in a patch must not trip over the rendered one.
  if ('container' in partial && !('networks' in partial) && hasLegacyNetwork(partial.container)) delete merged.networks;
  if (('ports' in partial || 'portDefinitions' in partial) && !('portDefinitions' in partial)) {
    delete merged.portDefinitions;
  }
  if (typeof merged.id === 'string' && merged.id !== existing.id && 'id' in partial) {
    const resolved = parseApp({ ...merged }, { baseGroup: '/' }).id;
    if (resolved !== existing.id) {
      throw new AppValidationError([{ path: '/id', errors: [`cannot change the id of ${existing.id} in a patch`] }]);
    }
  }
  return parseApp({ ...merged, id: existing.id });
}

function hasLegacyNetwork(container: unknown): boolean {
  return isObject(container) && isObject(container.docker) && container.docker.network !== undefined;
}
