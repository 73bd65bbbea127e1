// Readers for the structured parts of a job: container, environment
// variables, fetch URIs and constraints, each in Chronos' JSON shape.
import type {
  Constraint,
  ConstraintOperator,
  ContainerSpec,
  EnvironmentVariable,
  FetchSpec,
  KeyValue,
  VolumeSpec,
} from './job-definition.js';
import { Problems, isObject, jsonType, readArray, readBoolean, readString, type JsonObject } from './readers.js';

function oneOf<T extends string>(value: string, allowed: readonly T[], field: string, p: Problems, fallback: T): T {
  const upper = value.toUpperCase();
  const found = allowed.find((a) => a === upper);
  if (found === undefined) p.add(field, `must be one of ${allowed.join(', ')}, got '${value}'`);
  return found ?? fallback;
}

function objectItem<T>(p: Problems, read: (o: JsonObject, field: string) => T | undefined) {
  return (value: unknown, field: string): T | undefined => {
    if (isObject(value)) return read(value, field);
    p.add(field, `must be an object, got ${jsonType(value)}`);
    return undefined;
  };
}

/** `container`: `{type, image, network, volumes, forcePullImage, parameters}`; `null` when absent. */
export function readContainer(job: JsonObject, p: Problems): ContainerSpec | null {
  const c = job['container'];
  if (c === undefined || c === null) return null;
  if (!isObject(c)) {
    p.add('container', `must be an object, got ${jsonType(c)}`);
    return null;
  }
  const type = oneOf(
    readString(c, 'type', p, 'DOCKER', 'container.type'),
    ['DOCKER', 'MESOS'],
    'container.type',
    p,
    'DOCKER',
  );
  const image = readString(c, 'image', p, '', 'container.image');
  if (image.trim() === '') p.add('container.image', 'is required: name the image to run (e.g. busybox:1.36)');
  const network = oneOf(
    readString(c, 'network', p, 'HOST', 'container.network'),
    ['HOST', 'BRIDGE', 'USER', 'NONE'],
    'container.network',
    p,
    'HOST',
  );
  const volumes = readArray(
    c,
    'volumes',
    p,
    objectItem(p, (v, field): VolumeSpec | undefined => {
      const containerPath = readString(v, 'containerPath', p, '', `${field}.containerPath`);
      if (containerPath === '') p.add(`${field}.containerPath`, 'is required');
      const hostPath = readString(v, 'hostPath', p, '', `${field}.hostPath`);
      const mode = oneOf(readString(v, 'mode', p, 'RW', `${field}.mode`), ['RO', 'RW'], `${field}.mode`, p, 'RW');
      return hostPath === '' ? { containerPath, mode } : { containerPath, hostPath, mode };
    }),
    'container.volumes',
  );
  const parameters = readArray(
    c,
    'parameters',
    p,
    objectItem(p, (kv, field): KeyValue => ({
      key: readString(kv, 'key', p, '', `${field}.key`),
      value: readString(kv, 'value', p, '', `${field}.value`),
    })),
    'container.parameters',
  );
  const forcePullImage = readBoolean(c, 'forcePullImage', p, false, 'container.forcePullImage');
  return { type, image, network, forcePullImage, volumes, parameters };
}

/** `environmentVariables`: `[{name, value}]`. */
export function readEnvironment(job: JsonObject, p: Problems): EnvironmentVariable[] {
  return readArray(
    job,
    'environmentVariables',
    p,
    objectItem(p, (e, field): EnvironmentVariable | undefined => {
      const name = readString(e, 'name', p, '', `${field}.name`);
      if (name === '') {
        p.add(`${field}.name`, 'is required');
        return undefined;
      }
      return { name, value: readString(e, 'value', p, '', `${field}.value`) };
    }),
  );
}

/** `fetch`: `[{uri, executable, extract, cache, output_file}]`. */
export function readFetch(job: JsonObject, p: Problems): FetchSpec[] {
  return readArray(
    job,
    'fetch',
    p,
    objectItem(p, (f, field): FetchSpec | undefined => {
      const uri = readString(f, 'uri', p, '', `${field}.uri`);
      if (uri === '') {
        p.add(`${field}.uri`, 'is required');
        return undefined;
      }
      const spec = {
        uri,
        executable: readBoolean(f, 'executable', p, false, `${field}.executable`),
        extract: readBoolean(f, 'extract', p, true, `${field}.extract`),
        cache: readBoolean(f, 'cache', p, false, `${field}.cache`),
      };
      const outputFile = readString(f, 'output_file', p, '', `${field}.output_file`);
      return outputFile === '' ? spec : { ...spec, outputFile };
    }),
  );
}

const OPERATORS: readonly ConstraintOperator[] = ['EQUALS', 'LIKE', 'UNLIKE'];

/** `constraints`: `[["rack", "EQUALS", "rack-1"], ["host", "LIKE", "web-[0-9]+"]]`. */
export function readConstraints(job: JsonObject, p: Problems): Constraint[] {
  return readArray(job, 'constraints', p, (value, field): Constraint | undefined => {
    if (!Array.isArray(value) || value.length !== 3 || !value.every((x) => typeof x === 'string')) {
      p.add(field, 'must be [attribute, operator, value], three strings, e.g. ["rack", "EQUALS", "rack-1"]');
      return undefined;
    }
    const [attribute, op, v] = value as [string, string, string];
    const operator = OPERATORS.find((o) => o === op.toUpperCase());
    if (operator === undefined) {
      p.add(field, `has operator '${op}': use one of ${OPERATORS.join(', ')}`);
      return undefined;
    }
    if (operator !== 'EQUALS') {
      try {
        new RegExp(`^(?:${v})$`);
      } catch (err) {
        p.add(field, `has a ${operator} pattern '${v}' that is not a regular expression: ${(err as Error).message}`);
        return undefined;
      }
    }
    return { attribute, operator, value: v };
  });
}
