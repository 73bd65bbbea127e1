// GET /v2/events: Marathon's event bus as server-sent events. Each event is
// `id:` (clients resume with Last-Event-ID), `event: <eventType>` and
// `data: <json>`; a comment line every heartbeat keeps proxies from timing
// the stream out. Every stream ends when this instance stops leading, so
// that clients reconnect (and reach the new leader through the proxy).
import type { ServerResponse } from 'node:http';
import type { Clock, Logger, TimerHandle } from '@mesocosm/framework-sdk';
import type { MarathonEvent, MarathonService } from '../service/marathon-service.js';
import { HttpError } from './http-error.js';
import type { RouteContext } from './router.js';

/** How often a comment line is sent on an idle stream (Marathon's clients expect some traffic). */
export const HEARTBEAT_MS = 15_000;

/** One SSE frame for `event`: its id, type and Marathon's JSON (eventType and timestamp included). */
export function formatEvent(event: MarathonEvent): string {
  const data = JSON.stringify({ ...event.body, eventType: event.eventType, timestamp: event.timestamp });
  return `id: ${event.id}\nevent: ${event.eventType}\ndata: ${data}\n\n`;
}

function eventTypes(url: URL): string[] {
  return url.searchParams
    .getAll('event_type')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** The id to resume after: the Last-Event-ID header, else `?lastEventId=`; 400 when not a count. */
function resumeAfter(ctx: RouteContext): number | undefined {
  const header = ctx.req.headers['last-event-id'];
  const raw = (Array.isArray(header) ? header[0] : header) ?? ctx.url.searchParams.get('lastEventId') ?? undefined;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\d+$/.test(raw.trim())) {
    throw new HttpError(400, `Last-Event-ID must be the numeric id of an event received before, not '${raw}'`);
  }
  return Number(raw.trim());
}

async function writeFrame(res: ServerResponse, frame: string): Promise<void> {
  if (res.write(frame)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** The open SSE streams of one server; all end together when leadership is lost. */
export class EventStreams {
  private readonly open = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(
    service: MarathonService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {
    this.unsubscribe = service.onLeadershipLost(() => this.closeAll());
  }

  /** How many streams are open (tests, metrics). */
  get size(): number {
    return this.open.size;
  }

  /** Serves one GET /v2/events; the response stays open until the client, the bus or leadership ends it. */
  serve(ctx: RouteContext): undefined {
    const types = eventTypes(ctx.url);
    const afterId = resumeAfter(ctx);
    const subscription = ctx.service.subscribe({
      ...(types.length > 0 ? { eventTypes: types } : {}),
      ...(afterId !== undefined ? { afterId } : {}),
    });
    const { res } = ctx;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    let timer: TimerHandle | undefined;
    const beat = (): void => {
      timer = this.clock.setTimeout(() => {
        res.write(': heartbeat\n\n');
        beat();
      }, this.heartbeatMs);
    };
    const close = (): void => {
      if (!this.open.delete(close)) return;
      if (timer !== undefined) this.clock.clearTimeout(timer);
      subscription.close();
      res.end();
    };
    this.open.add(close);
    res.on('close', close);
    beat();
    const pump = async (): Promise<void> => {
      for await (const event of subscription) {
        // The bus filters too; checking here keeps a stream honest whatever the bus does.
        if (types.length > 0 && !types.includes(event.eventType)) continue;
        if (afterId !== undefined && event.id <= afterId) continue;
        await writeFrame(res, formatEvent(event));
        if (res.destroyed) break;
      }
    };
    pump().then(close, (err: unknown) => {
      this.logger.error('event stream failed', { error: err instanceof Error ? err.message : String(err) });
      close();
    });
    return undefined;
  }

  /** Ends every open stream (leadership lost, server closing). */
  closeAll(): void {
    for (const close of [...this.open]) close();
  }

  /** Ends every stream and stops listening for leadership loss. */
  dispose(): void {
    this.unsubscribe();
    this.closeAll();
  }
}
