// The /v1/scheduler endpoints on ChronosService. Writes answer 204 as
// Chronos does; reads answer JSON (or CSV / Graphviz for the graph).
import { UnknownJobError } from '../errors.js';
import { graphDot } from './graph-dot.js';
import type { Reply } from './http-io.js';
import { jobStatBody } from './job-stat.js';
import { parseArguments, parseSearch } from './query.js';
import type { Route, RouteContext } from './route-table.js';

const NO_CONTENT: Reply = { status: 204 };

function name(ctx: RouteContext): string {
  return ctx.params['name'] ?? '';
}

/** Every API route, relative to /v1/scheduler (and /scheduler). */
export const ROUTES: readonly Route[] = [
  {
    methods: ['POST', 'PUT'],
    pattern: 'iso8601',
    body: true,
    handle: async (ctx) => {
      await ctx.service.putScheduledJob(ctx.body);
      return NO_CONTENT;
    },
  },
  {
    methods: ['POST', 'PUT'],
    pattern: 'dependency',
    body: true,
    handle: async (ctx) => {
      await ctx.service.putDependentJob(ctx.body);
      return NO_CONTENT;
    },
  },
  { methods: ['GET'], pattern: 'jobs', handle: (ctx) => ({ status: 200, json: ctx.service.listJobs() }) },
  {
    methods: ['GET'],
    pattern: 'jobs/search',
    handle: (ctx) => ({ status: 200, json: ctx.service.searchJobs(parseSearch(ctx.query)) }),
  },
  {
    // GET is an addition (Chronos has none): one job, as listed.
    methods: ['GET', 'PUT', 'DELETE'],
    pattern: 'job/:name',
    handle: async (ctx) => {
      const job = name(ctx);
      const method = ctx.method;
      if (method === 'PUT') {
        const { runId } = await ctx.service.runJob(job, parseArguments(ctx.query));
        return { status: 204, headers: { 'x-chronos-run-id': runId } };
      }
      if (method === 'DELETE') {
        await ctx.service.deleteJob(job);
        return NO_CONTENT;
      }
      const found = ctx.service.getJob(job);
      if (found === undefined) throw new UnknownJobError(job);
      return { status: 200, json: found };
    },
  },
  {
    methods: ['GET'],
    pattern: 'job/stat/:name',
    handle: (ctx) => {
      const job = name(ctx);
      const stats = ctx.service.jobStats(job);
      if (stats === undefined) throw new UnknownJobError(job);
      return { status: 200, json: jobStatBody(job, stats) };
    },
  },
  {
    methods: ['DELETE'],
    pattern: 'task/kill/:name',
    handle: async (ctx) => {
      const killed = await ctx.service.killJobTasks(name(ctx));
      return { status: 204, headers: { 'x-chronos-killed-tasks': String(killed) } };
    },
  },
  {
    methods: ['GET'],
    pattern: 'graph/csv',
    handle: (ctx) => ({ status: 200, text: ctx.service.graphCsv(), contentType: 'text/csv; charset=utf-8' }),
  },
  { methods: ['GET'], pattern: 'graph/json', handle: (ctx) => ({ status: 200, json: ctx.service.graphJson() }) },
  {
    methods: ['GET'],
    pattern: 'graph/dot',
    handle: (ctx) => ({
      status: 200,
      text: graphDot(ctx.service.graphJson()),
      contentType: 'text/vnd.graphviz; charset=utf-8',
    }),
  },
];
