// Unpacking a fetched archive into the sandbox with the system's tar or
// unzip (argv, never a shell string).
import { execFile } from 'node:child_process';
import type { ArchiveKind } from './fetch-plan.js';

const MAX_OUTPUT = 1024 * 1024;

function run(file: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { maxBuffer: MAX_OUTPUT }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT')
        return reject(
          new Error(
            `'${file}' is not installed on this agent, so the archive cannot be extracted (install it, e.g. apt-get install ${file})`,
          ),
        );
      const words = String(stderr).trim().split('\n').slice(-3).join('; ');
      reject(new Error(`${file} failed: ${words || err.message}`));
    });
  });
}

/**
 * Extracts `archive` into `dir`. tar: GNU tar detects the compression, drops
 * leading `/` and skips members with `..`; files belong to the agent's user.
 * zip: unzip, overwriting, which also refuses `..` paths.
 */
export async function extractArchive(archive: string, kind: ArchiveKind, dir: string): Promise<void> {
  if (kind === 'tar') await run('tar', ['-x', '-f', archive, '-C', dir, '--no-same-owner']);
  else await run('unzip', ['-o', '-q', archive, '-d', dir]);
}
