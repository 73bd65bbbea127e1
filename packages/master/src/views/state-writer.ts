// GET /master/state written as JSON text directly, without the object tree
// of state-json.ts: the same bytes as `JSON.stringify(masterState(ctx, viewer))`
// (a test compares both on fixtures). A generator of chunks: the text is
// built from pieces (field names, quoted values) pushed onto a list and
// joined into a chunk every CHUNK_PIECES pieces, so that the HTTP edge
// (server/state-response.ts) writes each chunk as it comes and pauses the
// generator while the client is slow: the master never holds the whole
// document (at 10,000 agents / 100,000 tasks, 60 MiB that made it collect
// its whole heap on every request).
//
// What is listed (agents, frameworks, each framework's tasks and offers) is
// taken when the first chunk is asked for; each record is written as it is
// when its turn comes.
//
// At that size the per-task work is what costs: string values are quoted
// without JSON.stringify when they need no escaping (the quotes go with the
// field names), enum names and the fields around them are cut once, and
// uuids are written with a table.
import { attributesToRecord, reasonName, taskStateName, type IMasterInfo, type ITaskStatus } from '@mesocosm/protocol';
import type { Resources } from '@mesocosm/protocol';
import { SEE_ALL, type Viewer } from '../auth/viewer.js';
import { agentUrl } from '../core/offer-lifecycle.js';
import type { AgentRecord, FrameworkRecord, MasterContext, TaskRecord } from '../core/types.js';
import type { OutstandingOffer } from '../offers/index.js';
import { sumJson, usedJson } from './resource-sums.js';
import { frameworkFields, maintenanceJson, safeResources } from './state-json.js';

/** How many pieces a chunk joins (about 50 KiB of text for tasks). */
export const CHUNK_PIECES = 4096;

/** Characters JSON.stringify escapes (quotes, backslashes, controls, lone surrogates). */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A number as JSON writes it (finite numbers as `String` does; others as `null`). */
function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/** Any other value as JSON.stringify writes it inside an object (an undefined one never reaches here). */
function val(v: unknown): string {
  return typeof v === 'number' ? num(v) : (JSON.stringify(v) ?? 'null');
}

const secs = (ms: number): string => num(ms / 1000);

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `uuidToString` (lowercase hex of every byte) without a Buffer per uuid. */
function hex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] ?? 0] ?? '';
  return out;
}

/** Quoted names of task states, by enum value. */
const stateNames = new Map<number, string>();

function quotedName(cache: Map<number, string>, value: number, name: (v: number) => string): string {
  let text = cache.get(value);
  if (text === undefined) {
    text = JSON.stringify(name(value));
    cache.set(value, text);
  }
  return text;
}

/** `JSON.stringify(r.toJSON())` (not cached per value: at 100,000 tasks that is 20 MiB of heap for no time saved). */
function resources(r: Resources): string {
  return JSON.stringify(r.toJSON());
}

const unreservedText = new WeakMap<Resources, string>();

function unreserved(total: Resources): string {
  let text = unreservedText.get(total);
  if (text === undefined) {
    text = JSON.stringify(total.reservedFor('*').toJSON());
    unreservedText.set(total, text);
  }
  return text;
}

/** The document's pieces, taken as chunks. */
class JsonOut {
  private parts: string[] = [];

  /** Text as is. */
  raw(s: string): void {
    this.parts.push(s);
  }

  /** A JSON string. */
  str(s: string): void {
    if (NEEDS_ESCAPE.test(s)) this.parts.push(JSON.stringify(s));
    else this.parts.push('"', s, '"');
  }

  /** Whether a chunk's worth of pieces is waiting. */
  get full(): boolean {
    return this.parts.length >= CHUNK_PIECES;
  }

  /** The pieces so far as one chunk ('' when none). */
  take(): string {
    const chunk = this.parts.join('');
    this.parts = [];
    return chunk;
  }
}

/** Writes `list` as a JSON array, each item with `write`, yielding a chunk whenever one is full. */
function* array<T>(out: JsonOut, list: Iterable<T>, write: (item: T) => void): Generator<string, void, undefined> {
  out.raw('[');
  let first = true;
  for (const item of list) {
    if (!first) out.raw(',');
    first = false;
    write(item);
    if (out.full) yield out.take();
  }
  out.raw(']');
}

/** Cached pieces, keyed by enum values: built once, pushed as one piece each. */
const statusHeads = new Map<number, string>();
const statusMiddles = new Map<number, string>();
const taskStates = new Map<number, string>();

function cachedPiece(cache: Map<number, string>, key: number, build: () => string): string {
  let piece = cache.get(key);
  if (piece === undefined) {
    piece = build();
    cache.set(key, piece);
  }
  return piece;
}

function writeStatus(out: JsonOut, s: ITaskStatus): void {
  const state = s.state ?? 0;
  const source = s.source ?? 0;
  const reason = s.reason ?? 0;
  // `{"state":"TASK_X","timestamp":` and `,"source":N,"reason":"REASON_Y","message":` as one piece each.
  out.raw(cachedPiece(statusHeads, state, () => `{"state":${JSON.stringify(taskStateName(state))},"timestamp":`));
  out.raw(val(s.timestamp ?? 0));
  if (typeof source === 'number' && source >= 0 && source < 1024 && typeof reason === 'number' && reason >= 0) {
    out.raw(
      cachedPiece(
        statusMiddles,
        reason * 1024 + source,
        () => `,"source":${source},"reason":${JSON.stringify(reasonName(reason))},"message":`,
      ),
    );
  } else {
    out.raw(`,"source":${val(source)},"reason":${JSON.stringify(reasonName(reason))},"message":`);
  }
  const message = s.message ?? '';
  if (message === '') out.raw('""');
  else out.str(message);
  if (s.uuid && s.uuid.length > 0) {
    out.raw(',"uuid":"');
    out.raw(hex(s.uuid));
    out.raw('"');
  }
  if (s.hasHealthy) out.raw(s.healthy ? ',"healthy":true}' : ',"healthy":false}');
  else out.raw('}');
}

const safe = (s: string): boolean => !NEEDS_ESCAPE.test(s);

function writeTask(out: JsonOut, t: TaskRecord): void {
  const name = t.info.name ?? '';
  const executor = t.info.executor?.executorId?.value ?? '';
  if (safe(t.taskId) && safe(name) && safe(t.frameworkId) && safe(executor) && safe(t.agentId) && safe(t.role)) {
    // Nothing to escape (the usual case): the quotes go with the field names, fewer pieces.
    out.raw('{"id":"');
    out.raw(t.taskId);
    out.raw('","name":"');
    out.raw(name);
    out.raw('","framework_id":"');
    out.raw(t.frameworkId);
    out.raw('","executor_id":"');
    out.raw(executor);
    out.raw('","slave_id":"');
    out.raw(t.agentId);
    out.raw('","agent_id":"');
    out.raw(t.agentId);
    out.raw(cachedPiece(taskStates, t.state, () => `","state":${JSON.stringify(taskStateName(t.state))},"role":"`));
    out.raw(t.role);
    out.raw('","resources":');
  } else {
    out.raw('{"id":');
    out.str(t.taskId);
    out.raw(',"name":');
    out.str(name);
    out.raw(',"framework_id":');
    out.str(t.frameworkId);
    out.raw(',"executor_id":');
    out.str(executor);
    out.raw(',"slave_id":');
    out.str(t.agentId);
    out.raw(',"agent_id":');
    out.str(t.agentId);
    out.raw(',"state":');
    out.raw(quotedName(stateNames, t.state, taskStateName));
    out.raw(',"role":');
    out.str(t.role);
    out.raw(',"resources":');
  }
  out.raw(resources(t.resources));
  out.raw(',"statuses":[');
  const statuses = t.statuses;
  for (let i = 0; i < statuses.length; i++) {
    const s = statuses[i];
    if (!s) continue;
    if (i > 0) out.raw(',');
    writeStatus(out, s);
  }
  out.raw(']}');
}

function writeOffer(out: JsonOut, o: OutstandingOffer): void {
  out.raw('{"id":');
  out.str(o.offerId);
  out.raw(',"framework_id":');
  out.str(o.frameworkId);
  out.raw(',"slave_id":');
  out.str(o.agentId);
  out.raw(',"agent_id":');
  out.str(o.agentId);
  out.raw(',"allocation_role":');
  out.str(o.role);
  out.raw(',"resources":');
  out.raw(resources(o.resources));
  out.raw(',"created_at":');
  out.raw(secs(o.createdAt));
  out.raw('}');
}

/** `,"deactivated":..[,"drain_info":..]`: maintenanceJson's fields. */
function writeMaintenance(out: JsonOut, ctx: MasterContext, agentId: string): void {
  if (!ctx.maintenance.has(agentId)) out.raw(',"deactivated":false');
  else out.raw(`,${JSON.stringify(maintenanceJson(ctx, agentId)).slice(1, -1)}`);
}

function writeAgent(out: JsonOut, ctx: MasterContext, a: AgentRecord): void {
  const port = a.info.port ?? 0;
  const offers = ctx.offers.byAgent(a.id);
  out.raw('{"id":');
  out.str(a.id);
  out.raw(',"hostname":');
  out.str(a.info.hostname ?? '');
  out.raw(',"port":');
  out.raw(val(port));
  out.raw(',"url":');
  out.str(agentUrl(a));
  out.raw(',"pid":');
  out.str(`slave(1)@${a.info.ip || a.info.hostname || ''}:${port}`);
  out.raw(',"resources":');
  out.raw(resources(a.total));
  out.raw(',"used_resources":');
  out.raw(a.tasks.size === 0 ? '{}' : JSON.stringify(usedJson(a.tasks)));
  out.raw(',"offered_resources":');
  out.raw(offers.length === 0 ? '{}' : JSON.stringify(sumJson(offers.map((o) => o.resources))));
  out.raw(',"unreserved_resources":');
  out.raw(unreserved(a.total));
  out.raw(',"attributes":');
  out.raw(a.info.attributes?.length ? JSON.stringify(attributesToRecord(a.info.attributes)) : '{}');
  out.raw(a.status === 'connected' ? ',"active":true,"status":' : ',"active":false,"status":');
  out.str(a.status);
  out.raw(',"registered_time":');
  out.raw(secs(a.registeredTime));
  if (a.reregisteredTime !== undefined) {
    out.raw(',"reregistered_time":');
    out.raw(secs(a.reregisteredTime));
  }
  writeMaintenance(out, ctx, a.id);
  out.raw('}');
}

/** A framework's lists, as taken at the start. */
interface FrameworkLists {
  framework: FrameworkRecord;
  tasks: TaskRecord[];
  completed: TaskRecord[];
  unreachable: TaskRecord[];
  offers: OutstandingOffer[];
}

function frameworkLists(ctx: MasterContext, f: FrameworkRecord, viewer: Viewer): FrameworkLists {
  const visible = (t: TaskRecord): boolean => viewer.all || viewer.task(f.info, t.info);
  const lists: FrameworkLists = { framework: f, tasks: [], completed: [], unreachable: [], offers: [] };
  for (const t of f.tasks.values()) {
    if (!visible(t)) continue;
    if (ctx.agents.get(t.agentId)?.status === 'unreachable') lists.unreachable.push(t);
    else lists.tasks.push(t);
  }
  for (const t of f.completedTasks.values()) if (visible(t)) lists.completed.push(t);
  lists.offers = ctx.offers.byFramework(f.id);
  return lists;
}

function* frameworkChunks(out: JsonOut, ctx: MasterContext, lists: FrameworkLists): Generator<string, void, undefined> {
  const fields = JSON.stringify(frameworkFields(ctx, lists.framework));
  out.raw(fields.slice(0, -1));
  out.raw(',"tasks":');
  yield* array(out, lists.tasks, (t) => writeTask(out, t));
  out.raw(',"completed_tasks":');
  yield* array(out, lists.completed, (t) => writeTask(out, t));
  out.raw(',"unreachable_tasks":');
  yield* array(out, lists.unreachable, (t) => writeTask(out, t));
  out.raw(',"offers":');
  yield* array(out, lists.offers, (o) => writeOffer(out, o));
  out.raw('}');
}

/**
 * The /master/state document as JSON text, in chunks of about
 * {@link CHUNK_PIECES} pieces: joined, exactly
 * `JSON.stringify(masterState(ctx, viewer))` (when nothing changes meanwhile).
 * The lists are taken at the first `next()`.
 */
export function* stateChunks(ctx: MasterContext, viewer: Viewer = SEE_ALL): Generator<string, void, undefined> {
  const shown = (f: FrameworkRecord): boolean => viewer.all || viewer.framework(f.info);
  const frameworks = [...ctx.frameworks.values()].filter(shown);
  const shownIds = new Set(frameworks.map((f) => f.id));
  const agents = [...ctx.agents.values()];
  const recovered = [...ctx.recovered.values()];
  const frameworkList = frameworks.map((f) => frameworkLists(ctx, f, viewer));
  const completedList = [...ctx.completedFrameworks.values()].filter(shown).map((f) => frameworkLists(ctx, f, viewer));
  const offers = ctx.offers.all().filter((o) => viewer.all || shownIds.has(o.frameworkId));
  const info = ctx.info;
  const leader: IMasterInfo = ctx.leadership.leader ?? {};
  const count = (status: AgentRecord['status']): number => agents.filter((a) => a.status === status).length;
  const leaderInfo = {
    id: leader.id ?? '',
    hostname: leader.hostname ?? '',
    ip: leader.ip ?? '',
    port: leader.port ?? 0,
    grpc_port: leader.grpcPort ?? 0,
    version: leader.version ?? '',
    epoch: leader.epoch ?? 0,
  };
  const out = new JsonOut();
  out.raw('{"version":');
  out.str(info.version ?? '');
  out.raw(',"id":');
  out.str(info.id ?? '');
  out.raw(',"hostname":');
  out.str(info.hostname ?? '');
  out.raw(ctx.leadership.elected ? ',"elected":true,"leader":' : ',"elected":false,"leader":');
  out.str(ctx.leadership.leader ? `master@${leader.ip ?? ''}:${leader.port ?? 0}` : '');
  out.raw(`,"leader_info":${JSON.stringify(leaderInfo)},"start_time":${secs(ctx.startTime)}`);
  out.raw(`,"elected_time":${secs(ctx.leadership.electedTime ?? ctx.startTime)}`);
  out.raw(`,"activated_slaves":${count('connected')},"deactivated_slaves":${count('disconnected')}`);
  out.raw(`,"unreachable_slaves":${count('unreachable')},"slaves":`);
  yield* array(out, agents, (a) => writeAgent(out, ctx, a));
  out.raw(',"recovered_slaves":');
  yield* array(out, recovered, (r) => {
    out.raw('{"id":');
    out.str(r.id);
    out.raw(',"hostname":');
    out.str(r.info.hostname ?? '');
    out.raw(`,"port":${val(r.info.port ?? 0)},"resources":${JSON.stringify(safeResources(r.info.resources).toJSON())}`);
    writeMaintenance(out, ctx, r.id);
    out.raw('}');
  });
  out.raw(ctx.recovering ? ',"recovering":true,"frameworks":' : ',"recovering":false,"frameworks":');
  out.raw('[');
  for (let i = 0; i < frameworkList.length; i++) {
    if (i > 0) out.raw(',');
    yield* frameworkChunks(out, ctx, frameworkList[i] as FrameworkLists);
  }
  out.raw('],"completed_frameworks":[');
  for (let i = 0; i < completedList.length; i++) {
    if (i > 0) out.raw(',');
    yield* frameworkChunks(out, ctx, completedList[i] as FrameworkLists);
  }
  out.raw('],"offers":');
  yield* array(out, offers, (o) => writeOffer(out, o));
  out.raw('}');
  yield out.take();
}

/** The whole document as one string (tests, and callers that want it all at once). */
export function stateText(ctx: MasterContext, viewer: Viewer = SEE_ALL): string {
  return [...stateChunks(ctx, viewer)].join('');
}
