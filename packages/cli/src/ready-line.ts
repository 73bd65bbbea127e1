// The one machine-readable line a daemon prints on stdout when it serves
// (docs/contracts.md, "Process conventions").

/** The fields of a `ready` line. */
export interface ReadyInfo {
  component: 'master' | 'agent' | 'local' | 'marathon' | 'chronos';
  /** HTTP base URL, e.g. `http://127.0.0.1:5050`. */
  http: string;
  /** gRPC address `host:port`, when the component serves gRPC. */
  grpc?: string;
  /** The component's ID (master ID, agent ID). */
  id?: string;
  /** Agents only: the agent ID assigned by the master. */
  agentId?: string;
  /** Anything else worth reporting (e.g. `mesocosm local`'s agents). */
  [extra: string]: unknown;
}

/** Formats the ready line (without the newline). */
export function formatReadyLine(info: ReadyInfo): string {
  const { component, http, grpc, id, agentId, ...rest } = info;
  return JSON.stringify({ event: 'ready', component, http, grpc, id, agentId, ...rest });
}
