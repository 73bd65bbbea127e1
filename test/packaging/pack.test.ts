// The SDK as a user gets it: `npm pack` of @mesocosm/protocol and
// @mesocosm/framework-sdk (built), installed from the tarballs into a scratch
// project in the OS temp dir, outside the monorepo (their third-party
// dependencies come from the npm registry), where a plain .mjs framework
// runs a task on a LocalCluster started here, and a TypeScript file
// type-checks against the installed declarations. Slow: minutes on a cold
// npm cache.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LocalCluster } from '@mesocosm/testing';
import { repoRoot } from '../helpers/index.js';

const execFileAsync = promisify(execFile);

/** Runs a command (not through a shell); on failure the error carries its output. */
async function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  try {
    const { stdout } = await execFileAsync(cmd, args, { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
    return stdout;
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

interface PackResult {
  filename: string;
  files: { path: string }[];
}

/** The packages under test, and what their tarballs must hold. */
const PACKAGES = [
  {
    name: '@mesocosm/protocol',
    dir: 'packages/protocol',
    must: ['lib/src/index.js', 'lib/src/index.d.ts', 'lib/src/generated/proto.js', 'lib/src/generated/proto.d.ts'],
  },
  {
    name: '@mesocosm/framework-sdk',
    dir: 'packages/framework-sdk',
    must: ['lib/src/index.js', 'lib/src/index.d.ts', 'lib/src/ha/index.js', 'lib/src/ha/index.d.ts'],
  },
] as const;

/** A framework as a user would write it, in plain JavaScript, against the installed packages only. */
const FRAMEWORK = `
import {
  Scheduler,
  SchedulerDriver,
  isTerminalState,
  parseConstraints,
  silentLogger,
  taskStateName,
} from '@mesocosm/framework-sdk';
import { createFrameworkHa } from '@mesocosm/framework-sdk/ha';

const ha = createFrameworkHa({ info: { id: 'scratch', hostname: 'localhost', port: 0, url: '' } });
await ha.leadership.start();
const driver = new SchedulerDriver({
  master: process.env.MESOCOSM_MASTER,
  framework: { name: 'packed-sdk', user: 'nobody' },
  logger: silentLogger,
});
let finish;
const ended = new Promise((resolve) => (finish = resolve));
const scheduler = new Scheduler(driver, {
  logger: silentLogger,
  onUpdate: (s) => isTerminalState(s.state) && finish({ state: taskStateName(s.state), message: s.message }),
});
scheduler.want('packed', [{
  taskId: 'packed-1',
  resources: 'cpus:0.1;mem:16',
  ports: 1,
  constraints: parseConstraints([['hostname', 'UNIQUE']]),
  command: { value: 'echo "packed SDK task on port $PORT0"' },
}]);
const { frameworkId } = await scheduler.start();
await ha.frameworkId.save(frameworkId);
const result = await ended;
const stored = (await ha.frameworkId.load())?.value;
await driver.teardown();
console.log(JSON.stringify({ ...result, frameworkId, stored }));
process.exitCode = result.state === 'TASK_FINISHED' ? 0 : 1;
`;

/** TypeScript against the installed declarations; the expect-error line proves the types are not \`any\`. */
const TYPED = `
import { Scheduler, SchedulerDriver, parseConstraints, type WantedTask } from '@mesocosm/framework-sdk';
import { createFrameworkHa, type FrameworkHa } from '@mesocosm/framework-sdk/ha';
import { Resources } from '@mesocosm/protocol';

const task: WantedTask = { taskId: 't', resources: Resources.parse('cpus:1'), constraints: parseConstraints([['hostname', 'UNIQUE']]) };
const driver = new SchedulerDriver({ master: '127.0.0.1:5060', framework: { name: 'n', user: 'u' } });
new Scheduler(driver, {}).want('k', task);
const ha: FrameworkHa = createFrameworkHa({ info: { id: 'i', hostname: 'h', port: 1, url: '' } });
void ha;
// @ts-expect-error: the driver needs a master and a framework
new SchedulerDriver({});
`;

/** What the monorepo develops with: none of it may be needed by the installed packages. */
async function devOnlyNames(): Promise<string[]> {
  const root = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  // @types/node is left out: other packages' dependencies may bring it, and it is types only.
  return Object.keys(root.devDependencies ?? {}).filter((n) => n !== '@types/node');
}

describe('packaging: the packed SDK and protocol, installed outside the monorepo', function () {
  this.timeout(900_000); // npm install from the registry; minutes on a cold cache
  let dir: string;
  let app: string;
  const tarballs = new Map<string, PackResult>();
  let cluster: LocalCluster | undefined;

  before(async () => {
    for (const p of PACKAGES) {
      if (!existsSync(join(repoRoot, p.dir, 'lib', 'src', 'index.js')))
        throw new Error(`${p.name} is not built: run \`npx tsc -b ${p.dir}\` (and \`npm run gen\`) first`);
    }
    dir = await mkdtemp(join(tmpdir(), 'mesocosm-pack-'));
    for (const p of PACKAGES) {
      const out = await run('npm', ['pack', '--json', '--pack-destination', dir], join(repoRoot, p.dir));
      const [result] = JSON.parse(out.slice(out.indexOf('['))) as PackResult[];
      if (!result) throw new Error(`npm pack of ${p.name} printed no result: ${out}`);
      tarballs.set(p.name, result);
    }
    app = join(dir, 'app');
    await mkdir(app);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    const files = PACKAGES.map((p) => join(dir, tarballs.get(p.name)?.filename ?? ''));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files], app);
  });

  after(async () => {
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const p of PACKAGES) {
    it(`${p.name}: the tarball holds the built code with its declarations, the exports' targets, and no tests`, () => {
      const paths = (tarballs.get(p.name)?.files ?? []).map((f) => f.path);
      expect(paths).to.include.members([...p.must, 'package.json', 'README.md']);
      const js = paths.filter((f) => f.startsWith('lib/') && f.endsWith('.js'));
      expect(js.length).to.be.greaterThan(5);
      const missingTypes = js.filter((f) => !paths.includes(f.replace(/\.js$/, '.d.ts')));
      expect(missingTypes, 'each .js has its .d.ts').to.deep.equal([]);
      const tests = paths.filter((f) => /(^|\/)(test|tests|__tests__)\//.test(f) || /\.test\.(js|ts|d\.ts)$/.test(f));
      expect(tests, 'no test files').to.deep.equal([]);
      expect(
        paths.filter((f) => f.endsWith('.tsbuildinfo')),
        'no build state',
      ).to.deep.equal([]);
    });
  }

  it('the protocol tarball carries the .proto files, the contract for other languages', () => {
    const paths = (tarballs.get('@mesocosm/protocol')?.files ?? []).map((f) => f.path);
    for (const f of ['mesos', 'scheduler', 'executor', 'operator', 'agent']) {
      expect(paths).to.include(`proto/mesocosm/v1/${f}.proto`);
    }
  });

  it('the exports map resolves the SDK and its /ha subpath, and nothing else', async () => {
    const probe = [
      "const sdk = await import('@mesocosm/framework-sdk');",
      "const ha = await import('@mesocosm/framework-sdk/ha');",
      "const deep = await import('@mesocosm/framework-sdk/lib/src/index.js').then(() => 'resolved', (e) => e.code);",
      'console.log(JSON.stringify({',
      "  sdk: import.meta.resolve('@mesocosm/framework-sdk'),",
      "  ha: import.meta.resolve('@mesocosm/framework-sdk/ha'),",
      '  scheduler: typeof sdk.Scheduler, election: typeof ha.createFrameworkHa, deep }));',
    ].join('\n');
    const out = JSON.parse(await run(process.execPath, ['--input-type=module', '-e', probe], app)) as Record<
      string,
      string
    >;
    expect(out['sdk']).to.equal(`file://${app}/node_modules/@mesocosm/framework-sdk/lib/src/index.js`);
    expect(out['ha']).to.equal(`file://${app}/node_modules/@mesocosm/framework-sdk/lib/src/ha/index.js`);
    expect(out).to.include({ scheduler: 'function', election: 'function', deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  });

  it('no development dependency is installed (or needed): only the runtime dependencies', async () => {
    const tree = await run('npm', ['ls', '--all', '--parseable'], app);
    const installed = new Set(tree.split('\n').map((l) => l.split('/node_modules/').pop() ?? ''));
    const dev = await devOnlyNames();
    expect(dev).to.include.members(['typescript', 'mocha']);
    expect(dev.filter((n) => installed.has(n))).to.deep.equal([]);
    for (const p of PACKAGES) {
      const manifest = JSON.parse(
        await readFile(join(app, 'node_modules', ...p.name.split('/'), 'package.json'), 'utf8'),
      ) as { dependencies?: Record<string, string> };
      const deps = Object.keys(manifest.dependencies ?? {});
      expect(
        deps.filter((d) => !installed.has(d)),
        `${p.name}'s dependencies are installed`,
      ).to.deep.equal([]);
    }
  });

  it('TypeScript type-checks against the installed declarations (NodeNext, strict)', async () => {
    await writeFile(join(app, 'typed.ts'), TYPED);
    const tsconfig = {
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(repoRoot, 'node_modules', '@types')], // the user's own @types/node, in effect
      },
      files: ['typed.ts'],
    };
    await writeFile(join(app, 'tsconfig.json'), JSON.stringify(tsconfig));
    await run(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], app);
  });

  it('a plain .mjs framework runs a task to TASK_FINISHED on a LocalCluster', async () => {
    cluster = await LocalCluster.start({ agents: 1 });
    await writeFile(join(app, 'framework.mjs'), FRAMEWORK);
    const env = { ...process.env, MESOCOSM_MASTER: cluster.masterUrl, MESOCOSM_LOG: 'error', NODE_PATH: '' };
    const out = await run(process.execPath, ['framework.mjs'], app, env);
    const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, string>;
    expect(result).to.include({ state: 'TASK_FINISHED' });
    expect(result['stored']).to.equal(result['frameworkId']); // the /ha state store worked
    const task = await cluster.waitForTask('packed-1', 'TASK_FINISHED', { frameworkId: result['frameworkId'] ?? '' });
    expect(task.agent_id).to.equal(cluster.agents[0]?.agentId);
  });
});
