/**
 * The Mesocosm agent: advertises a host's resources to a master, runs tasks
 * in sandboxes with the built-in command executor under cgroups (or posix
 * monitoring), delivers their status updates at least once and in order,
 * and serves sandboxes read-only over HTTP.
 *
 * @example
 * ```ts
 * import { Agent } from '@mesocosm/agent';
 * const agent = await Agent.start({ master: '127.0.0.1:5060', workDir: '/var/lib/mesocosm', port: 0 });
 * const id = await agent.registered();
 * console.log(`agent ${id} serves sandboxes at ${agent.httpUrl}`);
 * await agent.stop();
 * ```
 *
 * @module
 */
export { Agent } from './agent.js';
export type { AgentOptions } from './options.js';
export { AgentOptionError, IsolationUnavailableError, PathForbiddenError } from './errors.js';
