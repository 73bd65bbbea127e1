// HTTP and TCP checks: a GET that must answer a healthy status, and a TCP
// connection that must open. Both end when the signal aborts (the timeout).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { CheckResult } from './health-state.js';
import type { Probe } from './health-monitor.js';

/** True when `status` is healthy: in `statuses` when given, else any 2xx or 3xx (as Marathon). Pure. */
export function healthyStatus(status: number, statuses: readonly number[]): boolean {
  return statuses.length > 0 ? statuses.includes(status) : status >= 200 && status < 400;
}

function errorWords(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}${e.message && !e.message.includes(e.code) ? ` (${e.message})` : ''}` : String(err);
}

/** GET `scheme://host:port path`; certificates are not verified (as Mesos' and Marathon's HTTPS checks). */
export function httpProbe(
  scheme: 'http' | 'https',
  host: string,
  port: number,
  path: string,
  statuses: readonly number[],
): Probe {
  const url = `${scheme}://${host}:${port}${path}`;
  return (signal) =>
    new Promise<CheckResult>((resolve) => {
      const request = scheme === 'https' ? httpsRequest : httpRequest;
      const req = request(
        url,
        { method: 'GET', signal, agent: false, ...(scheme === 'https' ? { rejectUnauthorized: false } : {}) },
        (res) => {
          res.resume();
          const status = res.statusCode ?? 0;
          resolve(
            healthyStatus(status, statuses)
              ? { ok: true }
              : {
                  ok: false,
                  why: `GET ${url} answered HTTP ${status}${statuses.length > 0 ? ` (healthy: ${statuses.join(', ')})` : ''}`,
                },
          );
        },
      );
      req.on('error', (err) => resolve({ ok: false, why: `GET ${url} failed: ${errorWords(err)}` }));
      req.end();
    });
}

/** Opens (and closes) a TCP connection to `host:port`. */
export function tcpProbe(host: string, port: number): Probe {
  return (signal) =>
    new Promise<CheckResult>((resolve) => {
      const socket = connect({ host, port });
      const onAbort = (): void => {
        socket.destroy();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve({ ok: true });
      });
      socket.once('error', (err) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ ok: false, why: `cannot connect to ${host}:${port}: ${errorWords(err)}` });
      });
    });
}
