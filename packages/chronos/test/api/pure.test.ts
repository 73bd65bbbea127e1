import { expect } from 'chai';
import { graphDot } from '../../src/api/graph-dot.js';
import { durationHistogram, jobStatBody } from '../../src/api/job-stat.js';
import { parseArguments, parseSearch } from '../../src/api/query.js';
import { matchRoute } from '../../src/api/route-table.js';
import { ROUTES } from '../../src/api/routes.js';
import { JobValidationError } from '../../src/errors.js';

describe('chronos API pure parts', () => {
  it('durationHistogram uses nearest-rank percentiles', () => {
    const h = durationHistogram([5, 1, 4, 2, 3, 6, 7, 8, 9, 10]);
    expect(h).to.deep.equal({
      count: 10,
      mean: 6,
      median: 5,
      '75thPercentile': 8,
      '95thPercentile': 10,
      '98thPercentile': 10,
      '99thPercentile': 10,
    });
    expect(durationHistogram([]).count).to.equal(0);
  });

  it('jobStatBody leaves out durations of runs without both ends', () => {
    const body = jobStatBody('j', {
      counters: {},
      history: [
        {
          runId: 'j@1',
          taskId: 't',
          scheduledAt: 'x',
          startedAt: '2030-01-01T00:00:00Z',
          outcome: 'running',
          attempt: 0,
        },
        {
          runId: 'j@0',
          taskId: 't',
          scheduledAt: 'x',
          startedAt: '2030-01-01T00:00:00Z',
          finishedAt: '2030-01-01T00:01:00Z',
          outcome: 'failure',
          attempt: 2,
        },
      ],
    });
    expect(body.taskStatHistory.map((r) => r.durationMs)).to.deep.equal([undefined, 60_000]);
    expect(body.histogram.count).to.equal(1);
  });

  it('graphDot quotes names and ignores malformed entries', () => {
    const dot = graphDot({
      nodes: [{ name: 'a"b', lastStatus: 'failure' }, 'junk'],
      edges: [{ parent: 'a"b', child: 'c\\d' }],
    });
    expect(dot).to.equal(
      'digraph chronos {\n  node [shape=box, style=filled, fillcolor=white];\n' +
        '  "a\\"b" [fillcolor=salmon];\n  "a\\"b" -> "c\\\\d";\n}\n',
    );
  });

  it('parseSearch keeps non-empty filters and refuses bad counts', () => {
    expect(parseSearch(new URLSearchParams('name=&any=Ab&limit=0'))).to.deep.equal({ any: 'Ab', limit: 0 });
    expect(() => parseSearch(new URLSearchParams('offset=1.5'))).to.throw(JobValidationError, /offset/);
    expect(parseArguments(new URLSearchParams('x=1'))).to.equal(undefined);
    expect(parseArguments(new URLSearchParams('arguments=&arguments=b'))).to.deep.equal(['', 'b']);
  });

  it('matchRoute tells job/stat from a job named stat, and trims nothing else', () => {
    const stat = matchRoute(ROUTES, 'GET', '/v1/scheduler/job/stat/x');
    expect(stat.kind === 'route' && stat.route.pattern).to.equal('job/stat/:name');
    const named = matchRoute(ROUTES, 'GET', '/scheduler/job/stat');
    expect(named.kind === 'route' && named.params).to.deep.equal({ name: 'stat' });
    expect(matchRoute(ROUTES, 'GET', '/v1/schedulerx/jobs').kind).to.equal('not-api');
    expect(matchRoute(ROUTES, 'GET', '/v1/scheduler/job/').kind).to.equal('not-found');
  });
});
