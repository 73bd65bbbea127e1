import { expect } from 'chai';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PathForbiddenError } from '../src/errors.js';
import { containPath, isInside, sandboxScope } from '../src/sandbox/contain-path.js';
import { nextRunNumber, unsafeIdReason } from '../src/sandbox/sandbox-dirs.js';

describe('sandbox path containment', () => {
  let dir: string;
  let root: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agent-paths-'));
    root = join(dir, 'sandboxes');
    await mkdir(join(root, 'fw', 't', 'run-1'), { recursive: true });
    await writeFile(join(root, 'fw', 't', 'run-1', 'stdout'), 'hello');
    await writeFile(join(dir, 'secret'), 'no');
    await symlink(join(dir, 'secret'), join(root, 'fw', 't', 'run-1', 'leak'));
    await symlink(join(root, 'fw', 't', 'run-1', 'stdout'), join(root, 'fw', 't', 'run-1', 'inner'));
    // The agent's own layout: <framework>/tasks|executors/<id>/run-<n>.
    for (const d of [
      join('fwa', 'tasks', 'a', 'run-1'),
      join('fwa', 'tasks', 'b', 'run-1'),
      join('fwb', 'tasks', 'c', 'run-1'),
    ])
      await mkdir(join(root, d), { recursive: true });
    await writeFile(join(root, 'fwa', 'tasks', 'a', 'run-1', 'own'), 'a');
    await writeFile(join(root, 'fwa', 'tasks', 'b', 'run-1', 'stdout'), 'b');
    await writeFile(join(root, 'fwb', 'tasks', 'c', 'run-1', 'stdout'), 'c');
    const a = join(root, 'fwa', 'tasks', 'a', 'run-1');
    await symlink(join(a, 'own'), join(a, 'self'));
    await symlink(join(root, 'fwa', 'tasks', 'b', 'run-1', 'stdout'), join(a, 'sibling'));
    await symlink(join(root, 'fwb', 'tasks', 'c', 'run-1', 'stdout'), join(a, 'other-framework'));
    await symlink('../../../../fwb', join(a, 'other-framework-dir'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('tells inside from outside', () => {
    expect(isInside('/a/b', '/a/b')).to.equal(true);
    expect(isInside('/a/b', '/a/b/c')).to.equal(true);
    expect(isInside('/a/b', '/a/bc')).to.equal(false);
    expect(isInside('/a/b', '/a')).to.equal(false);
    expect(isInside('/a/b', '/a/b/../c')).to.equal(false);
  });

  it('resolves files inside, absolute or relative to the root', async () => {
    const file = join(root, 'fw', 't', 'run-1', 'stdout');
    expect(await containPath(root, file)).to.match(/run-1\/stdout$/);
    expect(await containPath(root, 'fw/t/run-1/stdout')).to.match(/run-1\/stdout$/);
    expect(await containPath(root, join(root, 'fw', 't', 'run-1', 'inner'))).to.match(/run-1\/stdout$/);
  });

  for (const [what, path] of [
    ['.. out of the root', () => join(root, '..', 'secret')],
    ['a relative ..', () => '../secret'],
    ['an absolute path elsewhere', () => '/etc/passwd'],
    ['a symlink pointing out', () => join(root, 'fw', 't', 'run-1', 'leak')],
    ['a missing file outside', () => join(dir, 'nope')],
  ] as const) {
    it(`refuses ${what}`, async () => {
      const err = await containPath(root, path()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(PathForbiddenError);
    });
  }

  it('names the sandbox a path is in', () => {
    expect(sandboxScope('')).to.deep.equal([]);
    expect(sandboxScope('fwa')).to.deep.equal(['fwa']);
    expect(sandboxScope(join('fwa', 'tasks'))).to.deep.equal(['fwa']);
    expect(sandboxScope(join('fwa', 'tasks', 'a', 'run-1', 'x'))).to.deep.equal(['fwa', 'tasks', 'a']);
    expect(sandboxScope(join('fwa', 'executors', 'e'))).to.deep.equal(['fwa', 'executors', 'e']);
    expect(sandboxScope(join('fw', 't', 'run-1'))).to.deep.equal(['fw']);
  });

  it("follows a task's symlinks inside its own sandbox", async () => {
    expect(await containPath(root, 'fwa/tasks/a/run-1/self')).to.match(/fwa\/tasks\/a\/run-1\/own$/);
    expect(await containPath(root, 'fwb/tasks/c/run-1/stdout')).to.match(/c\/run-1\/stdout$/);
  });

  for (const link of ['sibling', 'other-framework', 'other-framework-dir']) {
    it(`refuses a symlink into another sandbox (${link}), naming the sandbox`, async () => {
      const err = await containPath(root, `fwa/tasks/a/run-1/${link}`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(PathForbiddenError);
      expect((err as Error).message).to.contain('the sandbox it names (fwa/tasks/a)');
    });
  }

  it('numbers runs and refuses IDs that are not directory names', () => {
    expect(nextRunNumber([])).to.equal(1);
    expect(nextRunNumber(['run-1', 'run-7', 'x', 'run-a'])).to.equal(8);
    expect(unsafeIdReason('task ID', 'ok-1.2')).to.equal(undefined);
    for (const bad of ['', '.', '..', 'a/b']) expect(unsafeIdReason('task ID', bad)).to.be.a('string');
  });
});
