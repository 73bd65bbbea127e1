// The `authorization` value of a gRPC call's metadata (what the SDK and the
// agent send: `Basic base64(principal:secret)`).
import type { Metadata } from '@grpc/grpc-js';

/** The call's `authorization` metadata, if any. */
export function authorizationOf(metadata: Metadata | undefined): string | undefined {
  const value = metadata?.get('authorization')[0];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.toString('utf8');
}
