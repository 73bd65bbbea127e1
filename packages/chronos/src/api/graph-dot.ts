// GET graph/dot: the dependency graph as Graphviz, drawn from graphJson()
// (Chronos documents this endpoint; nodes are coloured by last status).

interface DotNode {
  readonly name: string;
  readonly lastStatus: string;
}

const FILL: Record<string, string> = { success: 'palegreen', failure: 'salmon' };

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];
}

/** `digraph` text for `{nodes: [{name, lastStatus}], edges: [{parent, child}]}`. */
export function graphDot(graph: Record<string, unknown>): string {
  const nodes: DotNode[] = records(graph['nodes']).map((n) => ({
    name: str(n['name']),
    lastStatus: str(n['lastStatus']),
  }));
  const lines = ['digraph chronos {', '  node [shape=box, style=filled, fillcolor=white];'];
  for (const node of nodes) {
    const fill = FILL[node.lastStatus];
    lines.push(`  ${quote(node.name)}${fill === undefined ? '' : ` [fillcolor=${fill}]`};`);
  }
  for (const edge of records(graph['edges'])) {
    lines.push(`  ${quote(str(edge['parent']))} -> ${quote(str(edge['child']))};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
