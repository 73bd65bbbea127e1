// What the bench needs that no package exports:
//  - the agent's test Docker engine helper (packages/agent/test/docker/engine.ts),
//    which finds or starts a Docker engine and imports the test image: the
//    bench reuses it rather than keeping a copy.
// It is loaded from the package's compiled output (lib/), which `tsc -b`
// builds before this project. A static relative import cannot do it: this
// file compiles from test/bench/support to test/lib/bench/support, one level
// deeper, so the same relative path cannot name the file both at type-check
// and at run time. The types come from the same files through `import type`.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../helpers/paths.js';
import type * as EngineModule from '../../../packages/agent/lib/test/docker/engine.js';

export type { EngineModule };

async function load<T>(...path: string[]): Promise<T> {
  return (await import(pathToFileURL(join(repoRoot, ...path)).href)) as T;
}

/** The agent's test Docker engine helper (`ensureDockerEngine`, `TEST_IMAGE`). */
export function loadDockerEngineModule(): Promise<typeof EngineModule> {
  return load<typeof EngineModule>('packages', 'agent', 'lib', 'test', 'docker', 'engine.js');
}
