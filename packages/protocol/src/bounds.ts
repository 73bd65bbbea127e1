// Size checks of the shared wire messages (labels, commands, containers,
// resources, tasks, statuses): every string and every list is bounded by
// limits.ts, and strings that reach a process's argv or environment carry no
// NUL. Each check throws a LimitExceededError or a ValidationError naming the
// field; none looks at meaning (validate.ts does).
import { LimitExceededError, ValidationError } from './errors.js';
import { mesocosm } from './generated/proto.js';
import {
  MAX_ARGUMENTS,
  MAX_ATTRIBUTES,
  MAX_CONTAINER_ENTRIES,
  MAX_ENV_VARIABLES,
  MAX_ID_LENGTH,
  MAX_LABELS,
  MAX_MESSAGE_DATA_BYTES,
  MAX_NAME_LENGTH,
  MAX_RANGES,
  MAX_RESOURCES,
  MAX_TEXT_LENGTH,
  MAX_URIS,
  MAX_UUID_BYTES,
} from './limits.js';

type Maybe<T> = T | null | undefined;

/** A string of at most `max` characters (absent counts as empty). */
export function boundText(value: Maybe<string>, field: string, max: number): void {
  const length = value?.length ?? 0;
  if (length > max) throw new LimitExceededError(field, length, max, 'characters');
}

/** An ID-like reference (looked up, not created): at most {@link MAX_ID_LENGTH} characters. */
export function boundId(id: Maybe<{ value?: Maybe<string> }>, field: string): void {
  boundText(id?.value, field, MAX_ID_LENGTH);
}

/** A list of at most `max` entries. */
export function boundCount(list: Maybe<readonly unknown[]>, field: string, max: number): void {
  const length = list?.length ?? 0;
  if (length > max) throw new LimitExceededError(field, length, max, 'entries');
}

/** Bytes of at most `max`. */
export function boundBytes(data: Maybe<Uint8Array>, field: string, max: number = MAX_MESSAGE_DATA_BYTES): void {
  const length = data?.length ?? 0;
  if (length > max) throw new LimitExceededError(field, length, max, 'bytes');
}

/** Text that becomes part of a process's argv or environment: bounded, and no NUL (which no argv can hold). */
function argvText(value: Maybe<string>, field: string, max: number): void {
  boundText(value, field, max);
  if (value?.includes('\u0000')) throw new ValidationError(field, 'contains a NUL character');
}

/** Labels: at most {@link MAX_LABELS}, keys {@link MAX_NAME_LENGTH}, values {@link MAX_TEXT_LENGTH}. */
export function boundLabels(labels: Maybe<mesocosm.v1.ILabels>, field: string): void {
  const list = labels?.labels ?? [];
  boundCount(list, `${field}.labels`, MAX_LABELS);
  list.forEach((l, i) => {
    boundText(l.key, `${field}.labels[${i}].key`, MAX_NAME_LENGTH);
    boundText(l.value, `${field}.labels[${i}].value`, MAX_TEXT_LENGTH);
  });
}

/** A CommandInfo: its command, arguments, environment, URIs and user. */
export function boundCommand(command: Maybe<mesocosm.v1.ICommandInfo>, field: string): void {
  if (!command) return;
  argvText(command.value, `${field}.value`, MAX_TEXT_LENGTH);
  const args = command.arguments ?? [];
  boundCount(args, `${field}.arguments`, MAX_ARGUMENTS);
  args.forEach((a, i) => argvText(a, `${field}.arguments[${i}]`, MAX_TEXT_LENGTH));
  argvText(command.user, `${field}.user`, MAX_NAME_LENGTH);
  const vars = command.environment?.variables ?? [];
  boundCount(vars, `${field}.environment.variables`, MAX_ENV_VARIABLES);
  vars.forEach((v, i) => {
    const at = `${field}.environment.variables[${i}]`;
    argvText(v.name, `${at}.name`, MAX_NAME_LENGTH);
    if (v.name?.includes('=')) throw new ValidationError(`${at}.name`, `'${v.name}' contains '='`);
    argvText(v.value, `${at}.value`, MAX_TEXT_LENGTH);
  });
  const uris = command.uris ?? [];
  boundCount(uris, `${field}.uris`, MAX_URIS);
  uris.forEach((u, i) => {
    argvText(u.value, `${field}.uris[${i}].value`, MAX_TEXT_LENGTH);
    argvText(u.outputFile, `${field}.uris[${i}].output_file`, MAX_NAME_LENGTH);
  });
}

/** A ContainerInfo: image, hostname, volumes and port mappings. */
export function boundContainer(container: Maybe<mesocosm.v1.IContainerInfo>, field: string): void {
  if (!container) return;
  boundText(container.hostname, `${field}.hostname`, MAX_NAME_LENGTH);
  const volumes = container.volumes ?? [];
  boundCount(volumes, `${field}.volumes`, MAX_CONTAINER_ENTRIES);
  volumes.forEach((v, i) => {
    argvText(v.hostPath, `${field}.volumes[${i}].host_path`, MAX_TEXT_LENGTH);
    argvText(v.containerPath, `${field}.volumes[${i}].container_path`, MAX_TEXT_LENGTH);
  });
  argvText(container.docker?.image, `${field}.docker.image`, MAX_NAME_LENGTH);
  const mappings = container.docker?.portMappings ?? [];
  boundCount(mappings, `${field}.docker.port_mappings`, MAX_CONTAINER_ENTRIES);
  mappings.forEach((m, i) => boundText(m.protocol, `${field}.docker.port_mappings[${i}].protocol`, MAX_NAME_LENGTH));
}

/** A HealthCheck: its command, HTTP path and statuses. */
export function boundHealthCheck(check: Maybe<mesocosm.v1.IHealthCheck>, field: string): void {
  if (!check) return;
  boundCommand(check.command, `${field}.command`);
  boundText(check.http?.scheme, `${field}.http.scheme`, MAX_NAME_LENGTH);
  boundText(check.http?.path, `${field}.http.path`, MAX_TEXT_LENGTH);
  boundCount(check.http?.statuses, `${field}.http.statuses`, MAX_CONTAINER_ENTRIES);
}

/** A resource list: at most {@link MAX_RESOURCES} entries, each with bounded name, role, ranges and set items. */
export function boundResources(list: Maybe<readonly mesocosm.v1.IResource[]>, field: string): void {
  boundCount(list, field, MAX_RESOURCES);
  (list ?? []).forEach((r, i) => {
    const at = `${field}[${i}]`;
    boundText(r.name, `${at}.name`, MAX_NAME_LENGTH);
    boundText(r.role, `${at}.role`, MAX_ID_LENGTH);
    boundCount(r.ranges?.range, `${at}.ranges`, MAX_RANGES);
    const items = r.set?.item ?? [];
    boundCount(items, `${at}.set`, MAX_RANGES);
    items.forEach((s, j) => boundText(s, `${at}.set[${j}]`, MAX_NAME_LENGTH));
  });
}

/** Agent attributes: at most {@link MAX_ATTRIBUTES}, each with bounded name and value. */
export function boundAttributes(list: Maybe<readonly mesocosm.v1.IAttribute[]>, field: string): void {
  boundCount(list, field, MAX_ATTRIBUTES);
  (list ?? []).forEach((a, i) => {
    const at = `${field}[${i}]`;
    boundText(a.name, `${at}.name`, MAX_NAME_LENGTH);
    boundText(a.text?.value, `${at}.text`, MAX_NAME_LENGTH);
    boundCount(a.ranges?.range, `${at}.ranges`, MAX_RANGES);
    const items = a.set?.item ?? [];
    boundCount(items, `${at}.set`, MAX_RANGES);
    items.forEach((s, j) => boundText(s, `${at}.set[${j}]`, MAX_NAME_LENGTH));
  });
}

/** An ExecutorInfo's sizes. */
export function boundExecutor(executor: Maybe<mesocosm.v1.IExecutorInfo>, field: string): void {
  if (!executor) return;
  boundId(executor.executorId, `${field}.executor_id`);
  boundId(executor.frameworkId, `${field}.framework_id`);
  boundText(executor.name, `${field}.name`, MAX_NAME_LENGTH);
  boundCommand(executor.command, `${field}.command`);
  boundContainer(executor.container, `${field}.container`);
  boundResources(executor.resources, `${field}.resources`);
  boundLabels(executor.labels, `${field}.labels`);
}

/** A TaskInfo's sizes (every string and list in it). */
export function boundTask(task: mesocosm.v1.ITaskInfo, field: string): void {
  boundId(task.taskId, `${field}.task_id`);
  boundId(task.agentId, `${field}.agent_id`);
  boundText(task.name, `${field}.name`, MAX_NAME_LENGTH);
  boundResources(task.resources, `${field}.resources`);
  boundExecutor(task.executor, `${field}.executor`);
  boundCommand(task.command, `${field}.command`);
  boundContainer(task.container, `${field}.container`);
  boundHealthCheck(task.healthCheck, `${field}.health_check`);
  boundBytes(task.data, `${field}.data`);
  boundLabels(task.labels, `${field}.labels`);
}

/** A TaskStatus's sizes: IDs, message, data, uuid and labels. */
export function boundStatus(status: Maybe<mesocosm.v1.ITaskStatus>, field: string): void {
  if (!status) return;
  boundId(status.taskId, `${field}.task_id`);
  boundId(status.agentId, `${field}.agent_id`);
  boundId(status.executorId, `${field}.executor_id`);
  boundText(status.message, `${field}.message`, MAX_TEXT_LENGTH);
  boundBytes(status.data, `${field}.data`);
  boundBytes(status.uuid, `${field}.uuid`, MAX_UUID_BYTES);
  boundLabels(status.labels, `${field}.labels`);
}

/** A FrameworkInfo's sizes (roles and capabilities included). */
export function boundFrameworkInfo(info: Maybe<mesocosm.v1.IFrameworkInfo>, field: string, maxRoles: number): void {
  if (!info) return;
  boundText(info.user, `${field}.user`, MAX_NAME_LENGTH);
  boundText(info.name, `${field}.name`, MAX_NAME_LENGTH);
  boundId(info.id, `${field}.id`);
  boundText(info.hostname, `${field}.hostname`, MAX_NAME_LENGTH);
  boundText(info.principal, `${field}.principal`, MAX_NAME_LENGTH);
  boundText(info.webuiUrl, `${field}.webui_url`, MAX_TEXT_LENGTH);
  boundCount(info.roles, `${field}.roles`, maxRoles);
  (info.roles ?? []).forEach((r, i) => boundText(r, `${field}.roles[${i}]`, MAX_ID_LENGTH));
  boundCount(info.capabilities, `${field}.capabilities`, MAX_CONTAINER_ENTRIES);
  boundLabels(info.labels, `${field}.labels`);
}
