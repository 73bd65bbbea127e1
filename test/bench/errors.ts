// The bench's errors: a scenario that cannot measure says why.
import { MesocosmError, type ErrorCode } from '@mesocosm/protocol';

/** A scenario could not complete its measurement. */
export class BenchError extends MesocosmError {
  constructor(message: string, code: ErrorCode = 'INTERNAL', options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** A benchmark task ended in another state than TASK_FINISHED. */
export class BenchTaskError extends BenchError {
  constructor(taskId: string, state: string, message: string) {
    super(`task ${taskId} ended ${state}${message ? `: ${message}` : ''} (its stderr is in the agent's sandbox)`);
  }
}

/** `promise`, or a TIMEOUT {@link BenchError} naming `what` after `ms`. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchError(`${what} did not happen within ${ms} ms`, 'TIMEOUT')), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
