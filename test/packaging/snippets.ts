// Code blocks of the docs that are copies of real files: each fenced block
// preceded by `<!-- snippet: path[#region] -->` must equal that file (or the
// part of it between `// #region name` and `// #endregion name`), so that a
// doc cannot drift from code that compiles and runs. Pure: text in, findings out.

/** A fenced code block of a Markdown document. */
export interface CodeBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The info string's first word (`ts`, `sh`, ...), or ''. */
  readonly lang: string;
  readonly body: string;
  /** From the `<!-- snippet: path#region -->` line just above the fence, if any. */
  readonly snippet: { readonly path: string; readonly region: string | undefined } | undefined;
}

const FENCE = /^(\s*)(`{3,})\s*([\w+-]*)/;
const MARKER = /^<!--\s*snippet:\s*([^#\s]+)(?:#([\w-]+))?\s*-->$/;
const REGION_LINE = /^\s*\/\/\s*#(end)?region\b/;

/** The fenced code blocks of `markdown`, with their snippet markers. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const out: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[2] ?? '```';
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? '').trim().startsWith(fence)) end++;
    let before = i - 1;
    while (before >= 0 && (lines[before] ?? '').trim() === '') before--;
    const marker = before >= 0 ? MARKER.exec((lines[before] ?? '').trim()) : null;
    out.push({
      line: i + 1,
      lang: open[3] ?? '',
      body: lines.slice(i + 1, end).join('\n'),
      snippet: marker ? { path: marker[1] ?? '', region: marker[2] } : undefined,
    });
    i = end;
  }
  return out;
}

/** Trailing spaces off, blank lines at both ends off, common indentation off. */
export function normalize(text: string): string {
  const lines = text.split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const indents = lines.filter((l) => l !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

/**
 * The text a marker names: the whole `source`, or its region `region`; region
 * marker lines are left out. Throws when the region is missing or unclosed.
 */
export function extract(source: string, region: string | undefined): string {
  const lines = source.split('\n');
  let body = lines;
  if (region !== undefined) {
    const start = lines.findIndex((l) => new RegExp(`^\\s*//\\s*#region ${region}\\s*$`).test(l));
    if (start < 0) throw new Error(`no '// #region ${region}' in the file`);
    const end = lines.findIndex((l, i) => i > start && new RegExp(`^\\s*//\\s*#endregion( ${region})?\\s*$`).test(l));
    if (end < 0) throw new Error(`'// #region ${region}' is not closed by '// #endregion ${region}'`);
    body = lines.slice(start + 1, end);
  }
  return normalize(body.filter((l) => !REGION_LINE.test(l)).join('\n'));
}

/** Where a doc block and its source first differ, in words; undefined when they agree. */
export function difference(block: string, source: string): string | undefined {
  const a = normalize(block).split('\n');
  const b = source.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `line ${i + 1} of the block: the doc has ${JSON.stringify(a[i] ?? '<end>')}, the file ${JSON.stringify(b[i] ?? '<end>')}`;
    }
  }
  return undefined;
}

/** Languages whose blocks must be snippets (code a reader would copy). */
export const CODE_LANGS: ReadonlySet<string> = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'tsx']);
