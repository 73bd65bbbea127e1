// Runs every compiled test file with mocha and Mesocosm's reporter.
// Usage: node test/run-tests.mjs [path-substring ...] [--grep PATTERN]
// Exit status: 0 only if at least one test ran and none failed.
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';
import MesocosmReporter from './reporter.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every `*.test.js` below `dir` (node_modules excluded). */
function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(p);
    return e.isFile() && e.name.endsWith('.test.js') ? [p] : [];
  });
}

/** The compiled test dirs: packages/*\/lib/test, examples/*\/lib/test, test/lib. */
function testDirs() {
  const under = (parent) =>
    existsSync(join(root, parent))
      ? readdirSync(join(root, parent), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => join(root, parent, e.name, 'lib', 'test'))
      : [];
  return [...under('packages'), ...under('examples'), join(root, 'test', 'lib')];
}

const args = process.argv.slice(2);
let grep;
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--grep') grep = args[++i];
  else filters.push(args[i]);
}

const files = testDirs()
  .flatMap(testFiles)
  .filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s)))
  .sort();

const mocha = new Mocha({
  reporter: MesocosmReporter,
  timeout: 20_000,
  ...(grep ? { grep } : {}),
});
for (const f of files) mocha.addFile(f);

try {
  await mocha.loadFilesAsync();
} catch (err) {
  process.stdout.write(`could not load the test files: ${err && err.stack ? err.stack : err}\n`);
  process.stdout.write('tests: 0 passed, 1 failed\n');
  process.exit(1);
}

const runner = mocha.run(() => {
  const { passes = 0, failures = 0 } = runner.stats ?? {};
  // Exit at once: a leaked handle must not hang CI (children are SIGKILLed on exit).
  process.exit(failures > 0 || passes + failures === 0 ? 1 : 0);
});
