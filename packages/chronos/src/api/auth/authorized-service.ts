// The service as one principal may use it under the ACLs: lists, search and
// the dependency graph show only the jobs it may view; every other call is
// checked on its job first (a 403 naming it), so nothing changes on a refusal.
// The routes use it like the real service and do not know the difference.
import { JobNotAuthorizedError } from '../../errors.js';
import type { ApiAcl, ApiAction } from '../../model/api-acl.js';
import type { ChronosService, Json, JobSearch, RunHistoryEntry } from '../../service/chronos-service.js';

/** Chronos' page size of jobs/search when the query gives none (the engine's default too). */
const SEARCH_PAGE = 10;

interface Check {
  readonly action: ApiAction;
  readonly job: string;
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((v): v is Json => typeof v === 'object' && v !== null) : [];
}

/** A ChronosService that answers and acts for `principal` only as far as `acl` allows. */
export class AuthorizedChronosService implements ChronosService {
  constructor(
    private readonly inner: ChronosService,
    private readonly acl: ApiAcl,
    readonly principal: string,
  ) {}

  private readonly canView = (job: string): boolean => this.acl.allows(this.principal, 'view', job);

  /** @throws JobNotAuthorizedError for the first check refused */
  private require(checks: Iterable<Check>): void {
    const denied = this.acl.firstDenied(this.principal, checks);
    if (denied !== undefined) throw new JobNotAuthorizedError(this.principal, denied.action, denied.job);
  }

  listJobs(): Json[] {
    return this.inner.listJobs().filter((j) => this.canView(String(j['name'])));
  }

  /** Searches every job, keeps the visible ones, then pages (so a page is never short for hidden jobs). */
  searchJobs(query: JobSearch): Json[] {
    const { limit, offset, ...terms } = query;
    const all = this.inner.searchJobs({ ...terms, offset: 0, limit: Number.MAX_SAFE_INTEGER });
    const start = Math.max(0, offset ?? 0);
    return all.filter((j) => this.canView(String(j['name']))).slice(start, start + Math.max(0, limit ?? SEARCH_PAGE));
  }

  getJob(name: string): Json | undefined {
    this.require([{ action: 'view', job: name }]);
    return this.inner.getJob(name);
  }

  /**
   * `create` for a new job, `update` for an existing one, and `view` on each
   * parent: a job may only follow jobs its owner can see. A body without a
   * name is the engine's 400 to give.
   */
  private writeChecks(json: unknown): Check[] {
    const body = typeof json === 'object' && json !== null ? (json as Json) : {};
    const name = body['name'];
    if (typeof name !== 'string' || name === '') return [];
    const checks: Check[] = [{ action: this.inner.getJob(name) === undefined ? 'create' : 'update', job: name }];
    const parents = Array.isArray(body['parents']) ? body['parents'] : [];
    for (const parent of parents) if (typeof parent === 'string') checks.push({ action: 'view', job: parent });
    return checks;
  }

  putScheduledJob(json: unknown): Promise<void> {
    this.require(this.writeChecks(json));
    return this.inner.putScheduledJob(json);
  }

  putDependentJob(json: unknown): Promise<void> {
    this.require(this.writeChecks(json));
    return this.inner.putDependentJob(json);
  }

  deleteJob(name: string): Promise<void> {
    this.require([{ action: 'delete', job: name }]);
    return this.inner.deleteJob(name);
  }

  runJob(name: string, args?: readonly string[]): Promise<{ runId: string }> {
    this.require([{ action: 'run', job: name }]);
    return this.inner.runJob(name, args);
  }

  killJobTasks(name: string): Promise<number> {
    this.require([{ action: 'kill', job: name }]);
    return this.inner.killJobTasks(name);
  }

  /** The visible jobs' lines, and the links between two visible jobs. */
  graphCsv(): string {
    return this.inner
      .graphCsv()
      .split('\n')
      .filter((line) => {
        const [kind, a = '', b = ''] = line.split(',');
        if (kind === 'node') return this.canView(a);
        if (kind === 'link') return this.canView(a) && this.canView(b);
        return false;
      })
      .map((line) => `${line}\n`)
      .join('');
  }

  graphJson(): Json {
    const graph = this.inner.graphJson();
    return {
      ...graph,
      nodes: records(graph['nodes']).filter((n) => this.canView(String(n['name']))),
      edges: records(graph['edges']).filter(
        (e) => this.canView(String(e['parent'])) && this.canView(String(e['child'])),
      ),
    };
  }

  jobStats(name: string): { counters: Json; history: RunHistoryEntry[] } | undefined {
    this.require([{ action: 'view', job: name }]);
    return this.inner.jobStats(name);
  }

  isLeader(): boolean {
    return this.inner.isLeader();
  }

  leaderUrl(): string | undefined {
    return this.inner.leaderUrl();
  }
}
