// Groups: a tree of apps and groups posted in one body (`/v2/groups`), with
// group-level dependencies. flattenGroup turns the tree into apps with
// absolute ids and their inherited dependencies.

import { AppValidationError } from '../errors.js';
import type { AppDefinition } from './app-definition.js';
import { assertAcyclic } from './dependencies.js';
import { checkApp } from './parse-app.js';
import { isUnder, parentOf, resolveId } from './path-id.js';
import { Problems, childPath, isObject, jsonType } from './problems.js';
import { optString, readArray } from './readers.js';

/** A group: apps and sub-groups under one path, with dependencies that all its apps inherit. */
export interface GroupDefinition {
  readonly id: string;
  readonly apps: readonly AppDefinition[];
  readonly groups: readonly GroupDefinition[];
  /** Absolute ids of apps or groups every app of this group depends on. */
  readonly dependencies: readonly string[];
  /** Fields we do not model (`pods`, `enforceRole`...), kept and rendered back. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Options of {@link parseGroup}. */
export interface ParseGroupOptions {
  /** Relative group ids are resolved against this (default `/`). */
  readonly baseGroup?: string;
  /** The id when the body has none (default: the root group `/`). */
  readonly id?: string;
}

const GROUP_FIELDS = new Set(['id', 'apps', 'groups', 'dependencies', 'version']);

function checkGroup(
  json: unknown,
  path: string,
  problems: Problems,
  base: string,
  fallbackId: string | undefined,
  seen: Set<string>,
): GroupDefinition | undefined {
  if (!isObject(json)) {
    problems.add(path, `expected a group object, got ${jsonType(json)}`);
    return undefined;
  }
  const rawId = optString(json, 'id', path, problems) ?? fallbackId;
  let id = base;
  if (rawId === undefined) problems.add(childPath(path, 'id'), 'is required');
  else {
    const resolved = resolveId(rawId, base);
    if (!resolved.ok) problems.add(childPath(path, 'id'), resolved.message);
    else if (path !== '' && !isUnder(resolved.id, base)) {
      problems.add(
        childPath(path, 'id'),
        `identifier ${resolved.id} is not child of ${base}. Hint: use relative paths.`,
      );
    } else id = resolved.id;
  }
  const apps =
    readArray(json, 'apps', path, problems, (a, apath) => {
      const own = new Problems();
      const app = checkApp(a, own, { baseGroup: id });
      if (app !== undefined && parentOf(app.id) !== id) {
        own.add('/id', `identifier ${app.id} is not child of ${id}. Hint: use relative paths.`);
      }
      if (app !== undefined && seen.has(app.id)) own.add('/id', `${app.id} is used more than once`);
      if (app !== undefined) seen.add(app.id);
      problems.merge(own, apath);
      return own.empty ? app : undefined;
    }) ?? [];
  const groups =
    readArray(json, 'groups', path, problems, (g, gpath) => {
      const group = checkGroup(g, gpath, problems, id, undefined, seen);
      if (group !== undefined && seen.has(group.id)) {
        problems.add(childPath(gpath, 'id'), `${group.id} is used more than once`);
      }
      if (group !== undefined) seen.add(group.id);
      return group;
    }) ?? [];
  const dependencies =
    readArray(json, 'dependencies', path, problems, (d, dpath) => {
      if (typeof d !== 'string') {
        problems.add(dpath, `expected a string, got ${jsonType(d)}`);
        return undefined;
      }
      const resolved = resolveId(d, id === '/' ? '/' : parentOf(id));
      if (!resolved.ok) problems.add(dpath, resolved.message);
      return resolved.ok ? resolved.id : undefined;
    }) ?? [];
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) if (!GROUP_FIELDS.has(key)) extra[key] = value;
  return { id, apps, groups, dependencies, extra };
}

/**
 * Parses a group body (apps and nested groups in one), checks every app, the
 * nesting of ids, and that dependencies do not loop. Throws
 * {@link AppValidationError} with paths such as `/groups(1)/apps(0)/cpus`.
 */
export function parseGroup(json: unknown, opts: ParseGroupOptions = {}): GroupDefinition {
  const problems = new Problems();
  const group = checkGroup(json, '', problems, opts.baseGroup ?? '/', opts.id ?? '/', new Set());
  if (group === undefined || !problems.empty) throw new AppValidationError(problems.details());
  assertAcyclic(flattenGroup(group));
  return group;
}

/** Every app of the tree, each carrying its own and its groups' dependencies. */
export function flattenGroup(group: GroupDefinition, inherited: readonly string[] = []): AppDefinition[] {
  const deps = [...inherited, ...group.dependencies];
  const apps = group.apps.map((app) => ({
    ...app,
    dependencies: [...new Set([...app.dependencies, ...deps])].filter((d) => d !== app.id && !isUnder(app.id, d)),
  }));
  return [...apps, ...group.groups.flatMap((g) => flattenGroup(g, deps))];
}

/** Builds the group tree holding `apps` under `root` (intermediate groups created as needed). */
export function groupOf(apps: readonly AppDefinition[], root = '/'): GroupDefinition {
  const direct = apps.filter((a) => parentOf(a.id) === root);
  const childIds = new Set<string>();
  for (const app of apps) {
    if (app.id === root || !isUnder(app.id, root) || parentOf(app.id) === root) continue;
    const rest = app.id.slice(root === '/' ? 1 : root.length + 1).split('/');
    childIds.add(`${root === '/' ? '' : root}/${rest[0] ?? ''}`);
  }
  const groups = [...childIds].sort().map((id) =>
    groupOf(
      apps.filter((a) => isUnder(a.id, id)),
      id,
    ),
  );
  return { id: root, apps: direct, groups, dependencies: [], extra: {} };
}

/** Marathon's group JSON (apps rendered by `renderApp`). */
export function renderGroup(
  group: GroupDefinition,
  renderApp: (app: AppDefinition) => Record<string, unknown>,
  version?: string,
): Record<string, unknown> {
  return {
    ...group.extra,
    id: group.id,
    apps: group.apps.map(renderApp),
    groups: group.groups.map((g) => renderGroup(g, renderApp, version)),
    pods: [],
    dependencies: [...group.dependencies],
    ...(version === undefined ? {} : { version }),
  };
}
