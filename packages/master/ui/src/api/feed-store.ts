// The page's one feed: the cluster view for React (useSyncExternalStore), the
// connection state, and TASKS deltas for the pages that show tasks.
import { useSyncExternalStore } from 'react';
import { applyFeedMessage, EMPTY_VIEW, type ClusterView } from '../lib/feed-state.js';
import type { FeedMessage, TaskRow } from '../lib/types.js';
import { FeedConnection, type ConnectionState } from './feed-connection.js';

export type { ConnectionState };

type Listener = () => void;
type TaskListener = (upserted: readonly TaskRow[]) => void;

/** The state every page reads, fed by one {@link FeedConnection}. */
export class FeedStore {
  private view: ClusterView = EMPTY_VIEW;
  private connection: ConnectionState = { kind: 'connecting' };
  private readonly listeners = new Set<Listener>();
  private readonly taskListeners = new Set<TaskListener>();
  private feed: FeedConnection | undefined;

  /** Opens the feed to this page's master. */
  start(): void {
    this.feed = new FeedConnection({
      origin: window.location.origin,
      hash: () => window.location.hash,
      navigate: (url) => window.location.assign(url),
      onMessage: (msg) => this.receive(msg),
      onState: (state) => {
        this.connection = state;
        this.emit();
      },
    });
    this.feed.start();
  }

  stop(): void {
    this.feed?.stop();
  }

  getView = (): ClusterView => this.view;
  getConnection = (): ConnectionState => this.connection;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Calls `listener` with every TASKS delta until the returned function is called. */
  subscribeTasks(listener: TaskListener): () => void {
    this.taskListeners.add(listener);
    return () => this.taskListeners.delete(listener);
  }

  private receive(msg: FeedMessage): void {
    if (msg.type === 'TASKS') {
      for (const l of this.taskListeners) l(msg.upserted);
      return;
    }
    const next = applyFeedMessage(this.view, msg);
    if (next === this.view) return;
    this.view = next;
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

/** The page's store (one per page load). */
export const feedStore = new FeedStore();

/** The cluster view; re-renders the caller on every change. */
export function useClusterView(): ClusterView {
  return useSyncExternalStore(feedStore.subscribe, feedStore.getView);
}

/** The connection state. */
export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(feedStore.subscribe, feedStore.getConnection);
}
