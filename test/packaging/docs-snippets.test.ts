// The docs show code the build compiles and the tests run: every TypeScript
// or JavaScript block of these pages is a `<!-- snippet: ... -->` copy of a
// real file (test/packaging/tutorial/*, run by its tests), word for word.
// A doc that drifts from the API fails here (or the file fails to compile).
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/index.js';
import { CODE_LANGS, codeBlocks, difference, extract } from './snippets.js';

const DOCS = [
  'docs/sdk.md',
  'docs/mesos-mapping.md',
  'packages/framework-sdk/README.md',
  'packages/protocol/README.md',
  'packages/testing/README.md',
];

/** The compiled form of a source file of a workspace (`<ws>/x.ts` -> `<ws>/lib/x.js`), which must exist. */
function compiledPath(path: string): string | undefined {
  const m = /^((?:packages|examples)\/[^/]+|test)\/(.+)\.ts$/.exec(path);
  return m ? join(repoRoot, m[1] ?? '', 'lib', `${m[2] ?? ''}.js`) : undefined;
}

/** What is wrong with the code blocks of one page (empty when nothing). */
function problemsOf(doc: string): { problems: string[]; snippets: number } {
  const problems: string[] = [];
  let snippets = 0;
  for (const b of codeBlocks(readFileSync(join(repoRoot, doc), 'utf8'))) {
    const at = `${doc}:${b.line}`;
    if (!b.snippet) {
      if (CODE_LANGS.has(b.lang))
        problems.push(`${at}: a ${b.lang} block without a <!-- snippet: path#region --> line`);
      continue;
    }
    snippets++;
    const { path, region } = b.snippet;
    const name = `${path}${region ? `#${region}` : ''}`;
    if (!existsSync(join(repoRoot, path))) {
      problems.push(`${at}: ${path} does not exist`);
      continue;
    }
    const compiled = compiledPath(path);
    if (!compiled || !existsSync(compiled)) {
      problems.push(`${at}: ${path} is not compiled by the build (no ${compiled ?? 'lib/ counterpart'})`);
      continue;
    }
    try {
      const diff = difference(b.body, extract(readFileSync(join(repoRoot, path), 'utf8'), region));
      if (diff) problems.push(`${at}: differs from ${name}: ${diff}`);
    } catch (err) {
      problems.push(`${at}: ${name}: ${(err as Error).message}`);
    }
  }
  return { problems, snippets };
}

describe('docs: code blocks are copies of compiled, tested files', () => {
  for (const doc of DOCS) {
    it(`${doc}: every code block is its snippet, word for word`, () => {
      expect(problemsOf(doc).problems).to.deep.equal([]);
    });
  }

  it('docs/sdk.md shows the whole tutorial: framework, program, tests, driver, executor, HA', () => {
    const { snippets } = problemsOf('docs/sdk.md');
    expect(snippets).to.be.at.least(12);
  });
});

describe('docs snippets: the checker itself', () => {
  const source = [
    '// header',
    '// #region one',
    'export function f(): number {',
    '  return 1;',
    '}',
    '// #endregion one',
    'const other = 2;',
  ].join('\n');

  it('finds fenced blocks, their language and their marker', () => {
    const md = [
      '# Title',
      '',
      '<!-- snippet: a/b.ts#one -->',
      '',
      '```ts',
      'x',
      '```',
      '',
      '```sh',
      'npm i',
      '```',
    ].join('\n');
    const blocks = codeBlocks(md);
    expect(blocks.map((b) => [b.line, b.lang, b.body, b.snippet])).to.deep.equal([
      [5, 'ts', 'x', { path: 'a/b.ts', region: 'one' }],
      [9, 'sh', 'npm i', undefined],
    ]);
  });

  it('extracts a region (markers left out) or the whole file', () => {
    expect(extract(source, 'one')).to.equal('export function f(): number {\n  return 1;\n}');
    expect(extract(source, undefined)).to.equal(
      '// header\nexport function f(): number {\n  return 1;\n}\nconst other = 2;',
    );
    expect(() => extract(source, 'two')).to.throw(/no '\/\/ #region two'/);
    expect(() => extract('// #region x\nlet a;', 'x')).to.throw(/not closed/);
  });

  it('reports a drifted block with the first line that differs, and accepts an exact copy', () => {
    const region = extract(source, 'one');
    expect(difference('export function f(): number {\n  return 1;\n}\n', region)).to.equal(undefined);
    expect(difference('export function f(): string {\n  return 1;\n}', region)).to.match(
      /^line 1 of the block: the doc has "export function f\(\): string \{"/,
    );
    expect(difference('export function f(): number {\n  return 1;', region)).to.match(/line 3 .* "<end>"/);
  });
});
