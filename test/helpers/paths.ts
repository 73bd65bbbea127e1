// Paths of the compiled entry points the tests run as real processes.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/lib/helpers/paths.js once compiled). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** `node <cliMain> master ...` runs the `mesocosm` command. */
export const cliMain = join(repoRoot, 'packages', 'cli', 'lib', 'src', 'main.js');

/** The batch-shell example framework's entry point. */
export const exampleMain = join(repoRoot, 'examples', 'batch-shell', 'lib', 'src', 'main.js');
