// The master's JSON shapes, from the feed contract (types only: nothing of the
// master's code reaches the bundle).
export type {
  AgentRow,
  AllocationSample,
  AgentsPage,
  FeedMessage,
  FrameworkRow,
  FrameworksPage,
  OffersPage,
  ResourcesJson,
  ResourceTotals,
  StateSummary,
  TaskRow,
  TasksPage,
} from '../../../src/views/feed-types.js';

import type { OffersPage, TaskRow } from '../../../src/views/feed-types.js';

/** One outstanding offer as /master/offers and the feed send it. */
export type OfferRow = OffersPage['offers'][number];

/** One status of a task's history. */
export type TaskStatusRow = TaskRow['statuses'][number];

/** One entry of `/files/browse`, as the agent lists it. */
export interface BrowseEntry {
  path: string;
  size: number;
  mtime: number;
  mode: string;
  nlink: number;
  uid: string;
  gid: string;
}

/** What `/files/read` returns. */
export interface ReadChunk {
  data: string;
  offset: number;
}

/** The scalar resources the overview shows. */
export const SCALARS = ['cpus', 'mem', 'disk', 'gpus'] as const;
export type Scalar = (typeof SCALARS)[number];
