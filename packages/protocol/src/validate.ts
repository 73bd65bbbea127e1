// Validation of wire input at the edge. Each function throws a ValidationError
// naming the offending field and saying what would be accepted; callers turn
// it into an ERROR event, a TASK_ERROR update or a 4xx answer. Sizes are
// checked first (bounds.ts, limits.ts), so that no check below works on an
// unbounded input.
import { LimitExceededError, ValidationError } from './errors.js';
import { mesocosm } from './generated/proto.js';
import { boundAttributes, boundFrameworkInfo, boundResources, boundTask, boundText } from './bounds.js';
import { MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_ROLES } from './limits.js';
import { Resources } from './resources.js';

type ITaskInfo = mesocosm.v1.ITaskInfo;
type IFrameworkInfo = mesocosm.v1.IFrameworkInfo;
type IAgentInfo = mesocosm.v1.IAgentInfo;

export { MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_MESSAGE_DATA_BYTES } from './limits.js';

/**
 * Checks an ID (task, framework, agent, executor, offer): non-empty, at most
 * {@link MAX_ID_LENGTH} characters, no '/', no whitespace or control
 * characters, not '.' or '..' (IDs become sandbox paths). Returns the ID.
 */
export function validateId(value: string | null | undefined, field: string): string {
  const id = value ?? '';
  if (id === '') throw new ValidationError(field, 'must not be empty');
  if (id.length > MAX_ID_LENGTH) throw new LimitExceededError(field, id.length, MAX_ID_LENGTH, 'characters');
  // eslint-disable-next-line no-control-regex
  if (/[/\\\s\u0000-\u001f\u007f]/.test(id)) {
    throw new ValidationError(field, `'${id}' contains '/', '\\', whitespace or a control character`);
  }
  if (id === '.' || id === '..') throw new ValidationError(field, `'${id}' is not a valid ID`);
  return id;
}

/** Mesos' role rules: '*' or a non-empty name without '/'-leading, '.', '..', whitespace or '-' first. */
export function validateRole(role: string, field: string): string {
  if (role === '*') return role;
  if (role.length > MAX_ID_LENGTH) throw new LimitExceededError(field, role.length, MAX_ID_LENGTH, 'characters');
  if (role === '' || role === '.' || role === '..') throw new ValidationError(field, `'${role}' is not a valid role`);
  if (role.startsWith('-') || role.startsWith('/') || role.endsWith('/') || /\s|\/\/|\/\.\.?(\/|$)/.test(role)) {
    throw new ValidationError(
      field,
      `'${role}' is not a valid role (no leading '-' or '/', no whitespace, no '.' or '..' path parts)`,
    );
  }
  return role;
}

function validateName(value: string | null | undefined, field: string): void {
  boundText(value, field, MAX_NAME_LENGTH);
}

/** The roles a framework subscribes with: `roles`, or `["*"]` when empty. */
export function frameworkRoles(info: IFrameworkInfo): string[] {
  const roles = info.roles ?? [];
  return roles.length > 0 ? [...roles] : ['*'];
}

/** Checks a FrameworkInfo from SUBSCRIBE. */
export function validateFrameworkInfo(info: IFrameworkInfo | null | undefined): IFrameworkInfo {
  if (!info) throw new ValidationError('subscribe.framework_info', 'is required');
  boundFrameworkInfo(info, 'framework_info', MAX_ROLES);
  if (!info.name) throw new ValidationError('framework_info.name', 'must not be empty');
  validateName(info.name, 'framework_info.name');
  if (info.id?.value) validateId(info.id.value, 'framework_info.id');
  const timeout = info.failoverTimeout ?? 0;
  if (!Number.isFinite(timeout) || timeout < 0) {
    throw new ValidationError(
      'framework_info.failover_timeout',
      `must be a non-negative number of seconds, got ${timeout}`,
    );
  }
  const roles = info.roles ?? [];
  if (new Set(roles).size !== roles.length) throw new ValidationError('framework_info.roles', 'contains a role twice');
  roles.forEach((r, i) => validateRole(r, `framework_info.roles[${i}]`));
  return info;
}

/**
 * Checks one TaskInfo of a LAUNCH for shape (not against an offer): an ID,
 * valid non-empty resources, exactly one of command or executor, a sane kill
 * policy. Returns the task's resources.
 */
export function validateTaskInfo(task: ITaskInfo, field: string): Resources {
  boundTask(task, field);
  validateId(task.taskId?.value, `${field}.task_id`);
  validateName(task.name, `${field}.name`);
  if (!task.agentId?.value) throw new ValidationError(`${field}.agent_id`, 'is required (the agent of the offer)');
  const hasCommand = task.command != null;
  const hasExecutor = task.executor != null;
  if (hasCommand === hasExecutor) {
    throw new ValidationError(field, 'needs exactly one of `command` or `executor`');
  }
  if (
    hasCommand &&
    !task.command?.value &&
    (task.command?.arguments ?? []).length === 0 &&
    task.container?.type !== mesocosm.v1.ContainerInfo.Type.DOCKER
  ) {
    throw new ValidationError(`${field}.command.value`, 'is empty: give a shell command or arguments');
  }
  if (hasExecutor) validateId(task.executor?.executorId?.value, `${field}.executor.executor_id`);
  const grace = task.killPolicy?.gracePeriodSeconds ?? 0;
  if (!Number.isFinite(grace) || grace < 0) {
    throw new ValidationError(
      `${field}.kill_policy.grace_period_seconds`,
      `must be a non-negative number, got ${grace}`,
    );
  }
  let resources: Resources;
  try {
    resources = Resources.fromProto(task.resources);
  } catch (err) {
    if (err instanceof ValidationError)
      throw new ValidationError(`${field}.${err.field}`, err.message.slice(err.field.length + 2), err.code);
    throw err;
  }
  if (resources.scalar('cpus') <= 0 && resources.scalar('mem') <= 0) {
    throw new ValidationError(`${field}.resources`, 'must include some cpus or mem');
  }
  return resources;
}

/** Checks the AgentInfo of a (re-)registration; returns its total resources. */
export function validateAgentInfo(info: IAgentInfo | null | undefined): Resources {
  if (!info) throw new ValidationError('register.agent_info', 'is required');
  boundResources(info.resources, 'agent_info.resources');
  boundAttributes(info.attributes, 'agent_info.attributes');
  boundText(info.ip, 'agent_info.ip', MAX_NAME_LENGTH);
  if (!info.hostname) throw new ValidationError('agent_info.hostname', 'must not be empty');
  validateName(info.hostname, 'agent_info.hostname');
  if (info.id?.value) validateId(info.id.value, 'agent_info.id');
  const port = info.port ?? 0;
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new ValidationError('agent_info.port', `must be a TCP port, got ${port}`);
  const resources = Resources.fromProto(info.resources);
  if (resources.isEmpty()) throw new ValidationError('agent_info.resources', 'must not be empty');
  return resources;
}
