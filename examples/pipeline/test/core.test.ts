// The pipeline example's pure core: words, the wire format, the fan-out /
// fan-in book with its resends, the summary and the flags.
import { expect } from 'chai';
import { parseExampleArgs } from '../src/args.js';
import { Pipeline, type Outgoing } from '../src/pipeline.js';
import { formatSummary } from '../src/summary.js';
import { decodeFromStage, decodeToStage, encodeMessage } from '../src/wire.js';
import { chunkText, countWords, MAX_CHUNK_BYTES, topWords, words } from '../src/words.js';

const chunks = [
  { id: 1, text: 'a b' },
  { id: 2, text: 'b c' },
  { id: 3, text: 'c c' },
];

/** A pipeline with its three stage tasks RUNNING (two counters on a1 and a2, the merger on a1). */
function running(resendMs = 1000): { p: Pipeline; fanOut: Outgoing[] } {
  const p = new Pipeline({ chunks, counters: 2, name: 'p', resendMs });
  expect(p.update('p-count-1', 'TASK_RUNNING', 'a1', false, 0)).to.deep.equal([]);
  expect(p.update('p-merge', 'TASK_RUNNING', 'a1', false, 0)).to.deep.equal([]);
  const fanOut = p.update('p-count-2', 'TASK_RUNNING', 'a2', false, 0);
  return { p, fanOut };
}

const kinds = (out: Outgoing[] | string): string[] =>
  typeof out === 'string' ? [out] : out.map((o) => `${o.to.executorId}@${o.to.agentId}:${o.message.type}`);

describe('pipeline example: the fan-out / fan-in book', () => {
  it('fans the chunks out round-robin once every stage task runs', () => {
    const { fanOut } = running();
    expect(kinds(fanOut)).to.deep.equal(['p-count-1@a1:count', 'p-count-2@a2:count', 'p-count-1@a1:count']);
    expect(fanOut.map((o) => (o.message.type === 'count' ? o.message.id : 0))).to.deep.equal([1, 2, 3]);
  });

  it('forwards each count to the merger, then stops the counters and asks the merger to finish', () => {
    const { p } = running();
    const from1 = { agentId: 'a1', executorId: 'p-count-1' };
    const from2 = { agentId: 'a2', executorId: 'p-count-2' };
    expect(kinds(p.received(from1, { type: 'counted', id: 1, words: [['a', 1]] }, 1))).to.deep.equal([
      'p-merge@a1:merge',
    ]);
    // A duplicate answer (after a resend) is not forwarded twice.
    expect(p.received(from1, { type: 'counted', id: 1, words: [['a', 1]] }, 1)).to.deep.equal([]);
    p.received(from2, { type: 'counted', id: 2, words: [['b', 1]] }, 2);
    expect(kinds(p.received(from1, { type: 'counted', id: 3, words: [['c', 2]] }, 3))).to.deep.equal([
      'p-merge@a1:merge',
      'p-count-1@a1:stop',
      'p-count-2@a2:stop',
      'p-merge@a1:finish',
    ]);
    const merger = { agentId: 'a1', executorId: 'p-merge' };
    // The merger lacks chunk 2: it is sent again, then `finish` again.
    const again = p.received(merger, { type: 'missing', ids: [2] }, 4);
    expect(kinds(again)).to.deep.equal(['p-merge@a1:merge', 'p-merge@a1:finish']);
    expect((again as Outgoing[])[0]!.message).to.deep.equal({ type: 'merge', id: 2, words: [['b', 1]] });
    const merged = { type: 'merged' as const, chunks: 3, total: 5, distinct: 3, top: [['c', 2]] as [string, number][] };
    expect(kinds(p.received(merger, merged, 5))).to.deep.equal(['p-merge@a1:stop']);
    expect(p.result()).to.deep.equal(merged);
    expect(p.done()).to.equal(false);
    for (const id of ['p-count-1', 'p-count-2', 'p-merge']) p.update(id, 'TASK_FINISHED', '', true, 6);
    expect(p.done()).to.equal(true);
    expect(p.failure()).to.equal(undefined);
    expect(p.stageTasks().map((t) => t.chunks)).to.deep.equal([2, 1, 0]);
  });

  it('sends again what is not answered within resendMs', () => {
    const { p } = running(1000);
    p.received({ agentId: 'a1', executorId: 'p-count-1' }, { type: 'counted', id: 1, words: [] }, 500);
    expect(p.tick(999)).to.deep.equal([]);
    expect(kinds(p.tick(1000))).to.deep.equal(['p-count-2@a2:count', 'p-count-1@a1:count']);
    expect(p.tick(1500)).to.deep.equal([]);
    expect(kinds(p.tick(2000))).to.have.length(2);
  });

  it('refuses messages from executors that are not its stages, or from the wrong agent', () => {
    const { p } = running();
    expect(p.received({ agentId: 'a1', executorId: 'other' }, { type: 'missing', ids: [] }, 0)).to.match(
      /not a stage of this pipeline/,
    );
    expect(p.received({ agentId: 'a2', executorId: 'p-count-1' }, { type: 'counted', id: 1, words: [] }, 0)).to.be.a(
      'string',
    );
    expect(p.received({ agentId: 'a1', executorId: 'p-merge' }, { type: 'counted', id: 1, words: [] }, 0)).to.match(
      /from the merger/,
    );
  });

  it('fails when a stage task ends before it was told to stop', () => {
    const { p } = running();
    p.update('p-count-2', 'TASK_FAILED', 'a2', true, 1);
    expect(p.failure()).to.equal('p-count-2 ended (TASK_FAILED) before the pipeline was done');
  });

  it('summarises the stages and the top words', () => {
    const { p } = running();
    expect(formatSummary('p', p.stageTasks(), undefined).at(-1)).to.equal('p: no result');
    const lines = formatSummary('p', p.stageTasks(), {
      type: 'merged',
      chunks: 3,
      total: 12,
      distinct: 2,
      top: [
        ['c', 10],
        ['a', 2],
      ],
    });
    expect(lines[0]).to.match(/^ {2}p-count-1 +counted 0 chunks +TASK_RUNNING +agent=a1$/);
    expect(lines.slice(3)).to.deep.equal([
      'p: 3 chunks, 12 words (2 distinct), counted by 2 executors on 2 agents',
      '    10  c',
      '     2  a',
    ]);
  });
});

describe('pipeline example: words and wire', () => {
  it('counts words, ranks them, and chunks the input by lines', () => {
    expect(words("Don't stop, don't! 42 times")).to.deep.equal(["don't", 'stop', "don't", '42', 'times']);
    expect([...countWords('b a b')]).to.deep.equal([
      ['b', 2],
      ['a', 1],
    ]);
    expect(topWords(countWords('b a c b c'), 2)).to.deep.equal([
      ['b', 2],
      ['c', 2],
    ]);
    expect(chunkText('1\n2\n\n3\n4\n5', 2).map((c) => c.text)).to.deep.equal(['1\n2', '3\n4', '5']);
    expect(() => chunkText('  \n ... \n', 2)).to.throw(/no words/);
    expect(() => chunkText('x'.repeat(MAX_CHUNK_BYTES), 2)).to.throw(/line 1 is/);
  });

  it('decodes only well-formed messages', () => {
    const m = { type: 'counted' as const, id: 3, words: [['a', 1]] as [string, number][] };
    expect(decodeFromStage(encodeMessage(m))).to.deep.equal(m);
    expect(decodeToStage(encodeMessage({ type: 'finish', ids: [1, 2] }))).to.deep.equal({
      type: 'finish',
      ids: [1, 2],
    });
    expect(() => decodeToStage(Buffer.from('{'))).to.throw(/not JSON/);
    expect(() => decodeToStage(Buffer.from('{"type":"count","id":-1,"text":"x"}'))).to.throw(/count.id/);
    expect(() => decodeFromStage(Buffer.from('{"type":"counted","id":1,"words":[["a","1"]]}'))).to.throw(/words/);
    expect(() => decodeFromStage(Buffer.from('{"type":"nope"}'))).to.throw(/unknown message type "nope"/);
  });

  it('parses flags, with defaults, and rejects bad ones', () => {
    expect(parseExampleArgs([])).to.deep.equal({
      master: '127.0.0.1:5060',
      counters: 3,
      input: undefined,
      chunkLines: 2,
      top: 10,
      name: 'pipeline',
      timeoutMs: 120_000,
      resendMs: 5000,
    });
    expect(() => parseExampleArgs(['--top', '0'])).to.throw(/--top/);
    expect(() => parseExampleArgs(['--resend', '-1'])).to.throw(/--resend/);
    expect(() => parseExampleArgs(['--input', ''])).to.throw(/--input/);
  });
});
