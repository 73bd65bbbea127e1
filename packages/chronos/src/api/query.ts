// Query strings of the API: the search filters and run-now arguments.
import type { JobSearch } from '../service/chronos-service.js';
import { JobValidationError, type JobProblem } from '../errors.js';

function count(query: URLSearchParams, key: string, problems: JobProblem[]): number | undefined {
  const raw = query.get(key);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    problems.push({ field: key, message: `'${raw}' is not a non-negative whole number` });
    return undefined;
  }
  return Number(raw);
}

/**
 * `?name=&command=&any=&limit=&offset=` as a JobSearch; empty parameters are
 * left out. A limit or offset that is not a whole number is a 400 naming it.
 */
export function parseSearch(query: URLSearchParams): JobSearch {
  const problems: JobProblem[] = [];
  const search: JobSearch = {};
  for (const key of ['name', 'command', 'any'] as const) {
    const value = query.get(key);
    if (value !== null && value !== '') search[key] = value;
  }
  const limit = count(query, 'limit', problems);
  const offset = count(query, 'offset', problems);
  if (problems.length > 0) throw new JobValidationError(problems);
  if (limit !== undefined) search.limit = limit;
  if (offset !== undefined) search.offset = offset;
  return search;
}

/** `?arguments=a&arguments=b` in order; undefined when none were given. */
export function parseArguments(query: URLSearchParams): string[] | undefined {
  const args = query.getAll('arguments');
  return args.length === 0 ? undefined : args;
}
