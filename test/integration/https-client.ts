// A small HTTPS client for the TLS tests: trusts exactly the CA it is given
// (or only the system's CAs without one), so that a test can tell a client
// with the cluster's CA from one without.
import { request } from 'node:https';

/** An answer over HTTPS. */
export interface HttpsAnswer {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Options of {@link httpsRequest}. */
export interface HttpsRequestOptions {
  /** PEM text of the CA to trust; absent: the system's CAs only. */
  ca?: string;
  method?: string;
  /** A JSON body (sent with content-type application/json). */
  json?: unknown;
}

/** One request to an https:// URL; rejects when the handshake fails (e.g. an unknown CA). */
export function httpsRequest(url: string, options: HttpsRequestOptions = {}): Promise<HttpsAnswer> {
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        headers:
          body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The error of a request that must fail (a refused handshake, a closed plaintext connection). */
export async function refusal(attempt: Promise<unknown>): Promise<Error> {
  const outcome = await attempt.then(
    (value) => ({ value }),
    (err: unknown) => ({ err }),
  );
  if ('value' in outcome)
    throw new Error(`expected a refusal, got an answer: ${JSON.stringify(outcome.value).slice(0, 200)}`);
  return outcome.err instanceof Error ? outcome.err : new Error(String(outcome.err));
}
