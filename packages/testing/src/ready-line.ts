// Parsing the `ready` line a daemon prints on stdout (docs/contracts.md).

/** A parsed `ready` line. */
export interface ReadyLine {
  event: 'ready';
  component: string;
  /** HTTP base URL. */
  http: string;
  /** gRPC `host:port`, when served. */
  grpc?: string;
  id?: string;
  agentId?: string;
  [extra: string]: unknown;
}

/** The ready line in `line`, or undefined when `line` is something else. */
export function parseReadyLine(line: string): ReadyLine | undefined {
  const t = line.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(t) as Record<string, unknown>;
    if (v['event'] !== 'ready' || typeof v['http'] !== 'string' || typeof v['component'] !== 'string') {
      return undefined;
    }
    return v as ReadyLine;
  } catch {
    return undefined;
  }
}
