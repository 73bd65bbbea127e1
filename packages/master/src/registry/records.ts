// The registry's records as JSON: AgentInfo and FrameworkInfo in their proto3
// JSON shape, maintenance and gone records beside them, each with `"v": 1`.
// Pure: encode to text, decode (and check) from text.
import { v1, type IAgentInfo, type IFrameworkInfo } from '@mesocosm/protocol';
import { RegistryDataError } from '../errors.js';
import type { AdmittedAgent, DrainConfig, GoneAgent, MaintenanceRecord } from './registry.js';

/** The record format version written in every znode. */
export const RECORD_VERSION = 1;

const JSON_OPTIONS = { longs: String, enums: String, bytes: String, json: true } as const;
const PLAIN_OPTIONS = { longs: Number, enums: Number, bytes: Buffer } as const;

type Json = Record<string, unknown>;

function parse(znode: string, text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RegistryDataError(znode, `not JSON (${err instanceof Error ? err.message : String(err)})`, err);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RegistryDataError(znode, 'not a JSON object');
  }
  const record = value as Json;
  if (record['v'] !== RECORD_VERSION) {
    throw new RegistryDataError(
      znode,
      `record version ${JSON.stringify(record['v'])}, this master reads v ${RECORD_VERSION}`,
    );
  }
  return record;
}

function object(znode: string, record: Json, field: string): Json {
  const value = record[field];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RegistryDataError(znode, `'${field}' is missing or not an object`);
  }
  return value as Json;
}

function idMatches(znode: string, id: string | null | undefined, name: string): void {
  if (id !== name) throw new RegistryDataError(znode, `its id '${id ?? ''}' differs from the znode name '${name}'`);
}

/**
 * `{"v":1,"info":<AgentInfo proto3 JSON>,"principal":..}`: `principal` (the one
 * the agent ID is bound to) only when there is one; records without it are
 * read as unbound, and older masters ignore it.
 */
export function encodeAgent(info: IAgentInfo, principal?: string): string {
  const info_ = v1.AgentInfo.toObject(v1.AgentInfo.fromObject(info), JSON_OPTIONS);
  return JSON.stringify({ v: RECORD_VERSION, info: info_, ...(principal === undefined ? {} : { principal }) });
}

/** Reads an agent record; `name` is the znode's name (the agent ID). */
export function decodeAgent(znode: string, name: string, text: string): AdmittedAgent {
  const record = parse(znode, text);
  const raw = object(znode, record, 'info');
  const principal = record['principal'];
  if (principal !== undefined && (typeof principal !== 'string' || principal === '')) {
    throw new RegistryDataError(znode, `'principal' ${JSON.stringify(principal)} is not a non-empty string`);
  }
  let info: IAgentInfo;
  try {
    info = v1.AgentInfo.toObject(v1.AgentInfo.fromObject(raw), PLAIN_OPTIONS) as IAgentInfo;
  } catch (err) {
    throw new RegistryDataError(znode, `'info' is not an AgentInfo (${String(err)})`, err);
  }
  idMatches(znode, info.id?.value, name);
  return { info, principal };
}

/** `{"v":1,"info":<FrameworkInfo proto3 JSON>}`. */
export function encodeFramework(info: IFrameworkInfo): string {
  const info_ = v1.FrameworkInfo.toObject(v1.FrameworkInfo.fromObject(info), JSON_OPTIONS);
  return JSON.stringify({ v: RECORD_VERSION, info: info_ });
}

/** Reads a framework record; `name` is the znode's name (the framework ID). */
export function decodeFramework(znode: string, name: string, text: string): IFrameworkInfo {
  const raw = object(znode, parse(znode, text), 'info');
  let info: IFrameworkInfo;
  try {
    info = v1.FrameworkInfo.toObject(v1.FrameworkInfo.fromObject(raw), PLAIN_OPTIONS) as IFrameworkInfo;
  } catch (err) {
    throw new RegistryDataError(znode, `'info' is not a FrameworkInfo (${String(err)})`, err);
  }
  idMatches(znode, info.id?.value, name);
  return info;
}

/** `{"v":1,"agentId":..,"deactivated":..,"drainInfo":<DrainInfo proto3 JSON>?}`. */
export function encodeMaintenance(record: MaintenanceRecord): string {
  const drain = record.drain;
  const drainInfo = drain && {
    state: drain.state,
    config: {
      ...(drain.config.maxGracePeriodMs === undefined
        ? {}
        : { maxGracePeriod: { nanoseconds: String(Math.round(drain.config.maxGracePeriodMs * 1e6)) } }),
      markGone: drain.config.markGone,
      leaveTasksRunning: drain.config.leaveTasksRunning,
    },
  };
  return JSON.stringify({
    v: RECORD_VERSION,
    agentId: record.agentId,
    deactivated: record.deactivated,
    ...(drainInfo ? { drainInfo } : {}),
  });
}

function drainConfig(znode: string, raw: Json): DrainConfig {
  const grace = raw['maxGracePeriod'];
  let maxGracePeriodMs: number | undefined;
  if (grace !== undefined) {
    const ns = Number((grace as Json | null)?.['nanoseconds']);
    if (!Number.isFinite(ns) || ns < 0)
      throw new RegistryDataError(znode, `bad maxGracePeriod ${JSON.stringify(grace)}`);
    maxGracePeriodMs = ns / 1e6;
  }
  return { maxGracePeriodMs, markGone: raw['markGone'] === true, leaveTasksRunning: raw['leaveTasksRunning'] === true };
}

/** Reads a maintenance record; `name` is the znode's name (the agent ID). */
export function decodeMaintenance(znode: string, name: string, text: string): MaintenanceRecord {
  const record = parse(znode, text);
  idMatches(znode, typeof record['agentId'] === 'string' ? record['agentId'] : undefined, name);
  let drain: MaintenanceRecord['drain'];
  if (record['drainInfo'] !== undefined) {
    const info = object(znode, record, 'drainInfo');
    const state = info['state'];
    if (state !== 'DRAINING' && state !== 'DRAINED') {
      throw new RegistryDataError(znode, `drainInfo.state ${JSON.stringify(state)} is neither DRAINING nor DRAINED`);
    }
    drain = { state, config: drainConfig(znode, info['config'] === undefined ? {} : object(znode, info, 'config')) };
  }
  return { agentId: name, deactivated: record['deactivated'] === true || drain !== undefined, drain };
}

/** `{"v":1,"agentId":..,"goneTime":<ms>,"byOperator":..}`. */
export function encodeGone(gone: GoneAgent): string {
  return JSON.stringify({
    v: RECORD_VERSION,
    agentId: gone.agentId,
    goneTime: gone.goneTime,
    byOperator: gone.byOperator,
  });
}

/** Reads a gone record; `name` is the znode's name (the agent ID). */
export function decodeGone(znode: string, name: string, text: string): GoneAgent {
  const record = parse(znode, text);
  idMatches(znode, typeof record['agentId'] === 'string' ? record['agentId'] : undefined, name);
  const goneTime = Number(record['goneTime']);
  if (!Number.isFinite(goneTime))
    throw new RegistryDataError(znode, `goneTime ${JSON.stringify(record['goneTime'])} is not a number`);
  return { agentId: name, goneTime, byOperator: record['byOperator'] === true };
}
