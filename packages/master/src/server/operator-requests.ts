// Operator maintenance requests, from gRPC messages or Mesos-style JSON
// (`POST /api/v1`), checked into what the core takes. Pure.
import { ValidationError, type mesocosm } from '@mesocosm/protocol';
import type { DrainConfig } from '../registry/registry.js';

/** A checked maintenance call. */
export type MaintenanceCall =
  | { type: 'DRAIN_AGENT'; agentId: string; config: DrainConfig }
  | { type: 'DEACTIVATE_AGENT'; agentId: string }
  | { type: 'REACTIVATE_AGENT'; agentId: string };

function agentIdOf(field: string, id: { value?: string | null } | null | undefined): string {
  const value = id?.value;
  if (typeof value !== 'string' || value === '') {
    throw new ValidationError(`${field}.agent_id`, 'is required: {"value": "<agent ID>"}');
  }
  return value;
}

/** Nanoseconds (number or decimal string, as proto3 JSON writes int64) to ms; undefined when unset. */
function graceMs(field: string, duration: unknown): number | undefined {
  if (duration === undefined || duration === null) return undefined;
  const ns = typeof duration === 'object' ? (duration as { nanoseconds?: unknown }).nanoseconds : undefined;
  const n = typeof ns === 'string' && /^\d+$/.test(ns) ? Number(ns) : ns;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new ValidationError(`${field}.max_grace_period`, 'must be {"nanoseconds": <a non-negative integer>}');
  }
  return n / 1e6;
}

/** A gRPC DrainAgentRequest, checked. */
export function drainFromRequest(req: mesocosm.v1.IDrainAgentRequest): MaintenanceCall {
  return {
    type: 'DRAIN_AGENT',
    agentId: agentIdOf('drain_agent', req.agentId),
    config: {
      maxGracePeriodMs: graceMs('drain_agent', req.maxGracePeriod ?? undefined),
      markGone: req.markGone === true,
      leaveTasksRunning: req.leaveTasksRunning === true,
    },
  };
}

function objectField(body: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = body[name];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(name, `is required for this call type, as an object`);
  }
  return value as Record<string, unknown>;
}

function bool(field: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new ValidationError(field, 'must be true or false');
  return value;
}

/** The call types `POST /api/v1` takes besides the maintenance calls. */
export type OtherCall = { type: 'GET_STATE' } | { type: 'TEARDOWN'; frameworkId: string };

/** Mesos-style JSON (`{"type":"DRAIN_AGENT","drain_agent":{...}}`), checked. */
export function callFromJson(body: unknown): MaintenanceCall | OtherCall {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('body', 'must be a JSON object such as {"type":"DRAIN_AGENT","drain_agent":{...}}');
  }
  const call = body as Record<string, unknown>;
  switch (call['type']) {
    case 'DRAIN_AGENT': {
      const d = objectField(call, 'drain_agent');
      return {
        type: 'DRAIN_AGENT',
        agentId: agentIdOf('drain_agent', d['agent_id'] as { value?: string }),
        config: {
          maxGracePeriodMs: graceMs('drain_agent', d['max_grace_period']),
          markGone: bool('drain_agent.mark_gone', d['mark_gone']),
          leaveTasksRunning: bool('drain_agent.leave_tasks_running', d['leave_tasks_running']),
        },
      };
    }
    case 'DEACTIVATE_AGENT':
      return {
        type: 'DEACTIVATE_AGENT',
        agentId: agentIdOf('deactivate_agent', objectField(call, 'deactivate_agent')['agent_id'] as { value?: string }),
      };
    case 'REACTIVATE_AGENT':
      return {
        type: 'REACTIVATE_AGENT',
        agentId: agentIdOf('reactivate_agent', objectField(call, 'reactivate_agent')['agent_id'] as { value?: string }),
      };
    case 'GET_STATE':
      return { type: 'GET_STATE' };
    case 'TEARDOWN': {
      const id = (objectField(call, 'teardown')['framework_id'] as { value?: unknown } | undefined)?.value;
      if (typeof id !== 'string' || id === '') throw new ValidationError('teardown.framework_id', 'is required');
      return { type: 'TEARDOWN', frameworkId: id };
    }
    default:
      throw new ValidationError(
        'type',
        `${JSON.stringify(call['type'] ?? null)} is not a call this master takes: use DRAIN_AGENT, DEACTIVATE_AGENT, REACTIVATE_AGENT, GET_STATE or TEARDOWN`,
      );
  }
}
