// Task state names as users type them: `running`, `RUNNING`, `task_running`
// and `TASK_RUNNING` are one state. Pure.
import { TaskState, TERMINAL_TASK_STATES, taskStateName } from '@mesocosm/protocol';

/** Every task state, as the master names them (`TASK_STAGING`, ...), in protocol order. */
export const TASK_STATE_NAMES: readonly string[] = Object.keys(TaskState).filter((k) => k.startsWith('TASK_'));

const TERMINAL_NAMES: ReadonlySet<string> = new Set([...TERMINAL_TASK_STATES].map((s) => taskStateName(s)));

/** True for a state after which a task never changes again (`TASK_FINISHED`, `TASK_KILLED`, ...). */
export function isTerminalStateName(name: string): boolean {
  return TERMINAL_NAMES.has(name);
}

/** `TASK_RUNNING` -> `running`: how the CLI lists states in its messages. */
export function shortStateName(name: string): string {
  return name.replace(/^TASK_/, '').toLowerCase();
}

/**
 * One state, case-insensitive, with or without the `TASK_` prefix, `-` for `_`.
 * @throws Error listing the valid names.
 */
export function parseTaskState(text: string): string {
  const t = text.trim().toUpperCase().replace(/-/g, '_');
  const name = t.startsWith('TASK_') ? t : `TASK_${t}`;
  if (t !== '' && TASK_STATE_NAMES.includes(name)) return name;
  throw new Error(
    `'${text}' is not a task state: use one of ${TASK_STATE_NAMES.map(shortStateName).join(', ')} ` +
      '(any case, TASK_ prefix optional)',
  );
}

/** A comma-separated list of states (`running,staging`), without repeats. @throws Error as {@link parseTaskState}. */
export function parseTaskStates(text: string): string[] {
  const parts = text.split(',').filter((p) => p.trim() !== '');
  if (parts.length === 0) return [parseTaskState(text)];
  return [...new Set(parts.map(parseTaskState))];
}
