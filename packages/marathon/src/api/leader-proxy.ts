// A follower answers by forwarding to the leader: the request (method,
// path, headers, the body already read) goes to the leader's URL, and the
// answer is streamed back unchanged (SSE included), with `X-Marathon-Leader`
// and `X-Marathon-Via`, as Marathon's own proxy does.
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Logger } from '@mesocosm/framework-sdk';
import { errorAnswer } from './error-response.js';
import { HttpError } from './http-error.js';
import { send } from './http-io.js';

/** Headers that belong to one hop and are never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

/** A base URL with its scheme: `h:8080` → `http://h:8080` (leader records may omit it). */
export function withScheme(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
}

/** `http://h:8080/` (or `h:8080`) → `h:8080`. */
export function hostPort(url: string): string {
  return new URL(withScheme(url)).host;
}

/** True when the request already went through `self` (two instances naming each other as leader). */
export function isProxyLoop(req: IncomingMessage, self: string): boolean {
  const via = req.headers['x-marathon-via'];
  const text = Array.isArray(via) ? via.join(',') : (via ?? '');
  return text
    .split(',')
    .map((hop) => hop.trim().split(/\s+/)[1])
    .includes(hostPort(self));
}

function forwardedHeaders(headers: IncomingMessage['headers']): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
  }
  return out;
}

/** Forwards `req` (whose body was read into `body`) to `leaderUrl` and streams the answer into `res`. */
export function proxyToLeader(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  leaderUrl: string,
  selfUrl: string,
  logger: Logger,
  /** For an https leader: the CA that verifies it (and a client certificate). */
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {},
): void {
  const target = new URL(req.url ?? '/', withScheme(leaderUrl));
  const via = `1.1 ${hostPort(selfUrl)}`;
  const previousVia = req.headers['x-marathon-via'];
  const headers = forwardedHeaders(req.headers);
  headers['x-marathon-via'] = previousVia === undefined ? via : `${String(previousVia)}, ${via}`;
  const client = req.socket.remoteAddress;
  if (client !== undefined) {
    const prior = req.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = prior === undefined ? client : `${String(prior)}, ${client}`;
  }
  if (body.length > 0 || !['GET', 'HEAD', 'DELETE'].includes(req.method ?? 'GET')) {
    headers['content-length'] = body.length;
  }
  let complete = false;
  let clientGone = false;
  const onAnswer = (answer: IncomingMessage): void => {
    const out = forwardedHeaders(answer.headers);
    if (answer.headers['content-length'] !== undefined) out['content-length'] = answer.headers['content-length'];
    out['x-marathon-leader'] = withScheme(leaderUrl);
    out['x-marathon-via'] = via;
    res.writeHead(answer.statusCode ?? 502, out);
    res.flushHeaders();
    answer.pipe(res);
    answer.on('end', () => (complete = true));
    answer.on('error', () => res.destroy());
  };
  const method = req.method ?? 'GET';
  const upstream =
    target.protocol === 'https:'
      ? httpsRequest(target, { method, headers, ...tls }, onAnswer)
      : httpRequest(target, { method, headers }, onAnswer);
  // The client left (e.g. an SSE reader closed): stop the upstream request too.
  res.on('close', () => {
    if (complete) return;
    clientGone = true;
    upstream.destroy();
  });
  upstream.on('error', (err) => {
    if (clientGone) return;
    logger.warn('proxying to the leader failed', { leader: leaderUrl, path: target.pathname, error: err.message });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message = `The leader at ${leaderUrl} could not be reached (${err.message}); retry shortly`;
    send(res, errorAnswer(new HttpError(502, message)).reply);
  });
  upstream.end(body);
}
