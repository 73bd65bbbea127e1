import { expect } from 'chai';
import { LogFrameParser, sinceParam } from '../../src/docker/log-frames.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('docker: the multiplexed log stream', () => {
  it('splits frames into timestamped stdout and stderr entries, across chunk boundaries', () => {
    const all = Buffer.concat([
      frame(1, '2026-01-02T03:04:05.000000001Z hello\n'),
      frame(2, '2026-01-02T03:04:05.000000002Z oops\n'),
      frame(1, '2026-01-02T03:04:06.100000000Z a b c\n'),
    ]);
    const p = new LogFrameParser();
    const entries = [...p.push(all.subarray(0, 5)), ...p.push(all.subarray(5, 50)), ...p.push(all.subarray(50))];
    expect(entries.map((e) => [e.stream, e.timestamp, e.data.toString()])).to.deep.equal([
      ['stdout', '2026-01-02T03:04:05.000000001Z', 'hello\n'],
      ['stderr', '2026-01-02T03:04:05.000000002Z', 'oops\n'],
      ['stdout', '2026-01-02T03:04:06.100000000Z', 'a b c\n'],
    ]);
    expect(p.push(Buffer.alloc(0))).to.deep.equal([]);
  });

  it('turns an entry time into the engine’s `since` (seconds.nanoseconds)', () => {
    expect(sinceParam('1970-01-01T00:00:10.000000042Z')).to.equal('10.000000042');
    expect(sinceParam('2026-01-02T03:04:05.5Z')).to.equal(`${Date.UTC(2026, 0, 2, 3, 4, 5) / 1000}.500000000`);
    expect(sinceParam('yesterday')).to.equal(undefined);
  });
});
