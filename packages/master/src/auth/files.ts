// Reading the `--acls` file (the CLI's and embedders' way in). The
// `--credentials` file is read by protocol's loadCredentialsFile.
import { readTextFile } from '@mesocosm/protocol';
import { parseAclsText } from './acls.js';
import { AclsError } from './errors.js';

/** Reads and checks an ACL file (Mesos' JSON); returns its JSON for the `acls` option. Throws {@link AclsError}. */
export function loadAclsFile(path: string): Record<string, unknown> {
  const text = readTextFile(path, (why) => new AclsError('(file)', `cannot be read (${why})`, path));
  parseAclsText(text, path);
  return JSON.parse(text) as Record<string, unknown>;
}
