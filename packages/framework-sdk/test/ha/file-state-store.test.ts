import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStateStore, StateCorruptError } from '../../src/ha/index.js';
import { describeStateStore } from './state-store-conformance.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mesocosm-state-'));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describeStateStore('FileStateStore', async () => {
  const dir = tempDir();
  return { store: new FileStateStore(dir), reopen: async () => new FileStateStore(dir) };
});

describe('FileStateStore (files)', () => {
  it('writes one readable file per record, escaping the key, and leaves no temporary file', async () => {
    const dir = tempDir();
    const store = new FileStateStore(dir);
    await store.put('apps', '/prod/web', { instances: 2 });
    await store.put('apps', '/prod/web', { instances: 3 });
    await store.create('apps', '.hidden', 1);
    await store.create('apps', '.hidden', 2);
    expect(readdirSync(join(dir, 'apps')).sort()).to.deep.equal(['%2Ehidden.json', '%2Fprod%2Fweb.json']);
    expect(JSON.parse(readFileSync(join(dir, 'apps', '%2Fprod%2Fweb.json'), 'utf8'))).to.deep.equal({
      version: 1,
      value: { instances: 3 },
    });
  });

  it('ignores stray files in a collection and names a corrupt record', async () => {
    const dir = tempDir();
    const store = new FileStateStore(dir);
    await store.put('apps', 'ok', 1);
    writeFileSync(join(dir, 'apps', '.tmp-left-over'), 'partial');
    writeFileSync(join(dir, 'apps', 'README'), 'not a record');
    expect(await store.list('apps')).to.deep.equal(['ok']);
    writeFileSync(join(dir, 'apps', 'bad.json'), '{"version":0,"val');
    try {
      await store.get('apps', 'bad');
      expect.fail('expected a StateCorruptError');
    } catch (err) {
      expect(err).to.be.instanceOf(StateCorruptError);
      expect((err as Error).message).to.match(/record 'bad' of collection 'apps' at .*bad\.json/);
    }
  });

  it('lets one of two stores on the same directory create a record, across instances', async () => {
    const dir = tempDir();
    const [a, b] = [new FileStateStore(dir), new FileStateStore(dir)];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).create('runs', 'job@1', { by: i })),
    );
    expect(results.filter((r) => r.created)).to.have.length(1);
  });
});
