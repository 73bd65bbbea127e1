// A WebSocket client of the master's live feed, collecting its messages.
import WebSocket from 'ws';
import type { FeedMessage } from '../../src/views/feed-types.js';
import { Inbox } from '../helpers/wait-for.js';

type Of<T extends FeedMessage['type']> = Extract<FeedMessage, { type: T }>;

/** One feed connection. */
export class FeedClient {
  readonly messages = new Inbox<FeedMessage>();
  /** The close code, once closed. */
  closeCode: number | undefined;
  /** Bytes received so far. */
  bytes = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.bytes += data.length;
      this.messages.push(JSON.parse(data.toString('utf8')) as FeedMessage);
    });
    ws.on('close', (code) => (this.closeCode = code));
  }

  /** Connects to `httpUrl`'s feed. */
  static open(httpUrl: string): Promise<FeedClient> {
    const ws = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/api/v1/feed`);
    const client = new FeedClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  /** The next unconsumed message of `type` matching `pred`. */
  take<T extends FeedMessage['type']>(
    type: T,
    pred: (m: Of<T>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Of<T>> {
    return this.messages.take(
      (m) => m.type === type && pred(m as Of<T>),
      `a ${type} feed message`,
      timeoutMs,
    ) as Promise<Of<T>>;
  }

  /** The types of every message received, in order. */
  types(): string[] {
    return this.messages.all.map((m) => m.type);
  }

  close(): void {
    this.ws.close();
  }
}
