// One suite, every StateStore: the same semantics whatever the backend.
import { expect } from 'chai';
import {
  HaClosedError,
  MAX_RECORD_BYTES,
  StateConflictError,
  StateRecordTooLargeError,
  readCollection,
  type StateStore,
} from '../../src/ha/index.js';
import { ValidationError } from '../../src/index.js';

/** A fresh, empty store for one test, and how to open a second one on the same data (persistent stores). */
export interface StoreFixture {
  store: StateStore;
  reopen?: () => Promise<StateStore>;
  /**
   * False when reading a record near the size limit is known to fail (the
   * ZooKeeper client of @mesocosm/protocol, until it raises the addon's
   * `response_counter_limit`); the store's own tests check the size otherwise.
   */
  nearLimitReads?: boolean;
}

async function rejected(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

const awkwardKeys = [
  '/prod/web',
  'prod/web/',
  '/a//b',
  '.',
  '..',
  '.hidden',
  '%2Fprod%2Fweb',
  'with space',
  "!'()*~",
  'Zürich-日本-🚀',
  'CaSe',
  'case',
  '-',
];

/** Registers the conformance tests for the stores `open` makes. */
export function describeStateStore(
  name: string,
  open: (ctx: Mocha.Context) => Promise<StoreFixture>,
  /** Whether the store persists, so a second one opened on the same place sees the records. */
  persistent = true,
): void {
  describe(`${name} (StateStore conformance)`, function () {
    this.timeout(20_000);
    let fixture: StoreFixture;
    let store: StateStore;
    const opened: StateStore[] = [];

    beforeEach(async function () {
      fixture = await open(this);
      store = fixture.store;
      opened.push(store);
    });
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    it('reads nothing from an empty store', async () => {
      expect(await store.get('apps', '/nope')).to.equal(undefined);
      expect(await store.list('apps')).to.deep.equal([]);
      expect(await store.delete('apps', '/nope')).to.equal(false);
    });

    it('creates at version 0 and counts every write', async () => {
      expect(await store.put('apps', '/web', { instances: 1 })).to.equal(0);
      expect(await store.put('apps', '/web', { instances: 2 })).to.equal(1);
      expect(await store.put('apps', '/web', { instances: 3 })).to.equal(2);
      expect(await store.get('apps', '/web')).to.deep.equal({
        collection: 'apps',
        key: '/web',
        value: { instances: 3 },
        version: 2,
      });
    });

    it('compares and sets: a stale or absent expected version is a StateConflictError', async () => {
      const v0 = await store.put('apps', '/web', { n: 0 });
      expect(await store.put('apps', '/web', { n: 1 }, v0)).to.equal(1);
      const stale = await rejected(store.put('apps', '/web', { n: 'lost' }, v0));
      expect(stale).to.be.instanceOf(StateConflictError);
      expect(stale).to.include({ collection: 'apps', key: '/web', expectedVersion: 0, actualVersion: 1 });
      expect((stale as Error).message).to.match(/record '\/web' of collection 'apps'.*expected version 0.*version 1/);
      expect((await store.get('apps', '/web'))?.value).to.deep.equal({ n: 1 });

      const absent = await rejected(store.put('apps', '/other', { n: 0 }, 0));
      expect(absent).to.be.instanceOf(StateConflictError);
      expect((absent as StateConflictError).actualVersion).to.equal(undefined);
      expect(await store.get('apps', '/other')).to.equal(undefined);
    });

    it('lets exactly one of concurrent compare-and-sets on a version win', async () => {
      const v0 = await store.put('counters', 'c', 0);
      const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => store.put('counters', 'c', n, v0)));
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).to.have.length(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).to.be.instanceOf(StateConflictError);
      expect((await store.get('counters', 'c'))?.version).to.equal(1);
    });

    it('creates only when absent, and says what was there', async () => {
      expect(await store.create('runs', 'job@1', { runId: 'r1' })).to.deep.equal({ created: true, version: 0 });
      const again = await store.create('runs', 'job@1', { runId: 'r2' });
      expect(again).to.deep.equal({
        created: false,
        existing: { collection: 'runs', key: 'job@1', value: { runId: 'r1' }, version: 0 },
      });
      const concurrent = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => store.create('runs', 'job@2', { runId: n })));
      const winners = concurrent.filter((r) => r.created);
      expect(winners).to.have.length(1);
      const stored = (await store.get('runs', 'job@2'))?.value;
      for (const r of concurrent) if (!r.created) expect(r.existing.value).to.deep.equal(stored);
    });

    it('deletes, with an optional expected version', async () => {
      await store.put('apps', '/web', 1);
      await store.put('apps', '/web', 2);
      const stale = await rejected(store.delete('apps', '/web', 0));
      expect(stale).to.be.instanceOf(StateConflictError);
      expect((stale as StateConflictError).actualVersion).to.equal(1);
      expect(await store.get('apps', '/web')).to.not.equal(undefined);
      expect(await store.delete('apps', '/web', 1)).to.equal(true);
      expect(await store.get('apps', '/web')).to.equal(undefined);
      expect(await store.delete('apps', '/web')).to.equal(false);
      expect(await rejected(store.delete('apps', '/web', 1))).to.be.instanceOf(StateConflictError);
      // A deleted record starts again at version 0.
      expect(await store.put('apps', '/web', 3)).to.equal(0);
    });

    it('keeps keys with /, dots, percent signs and unicode distinct and exact', async () => {
      for (const [i, key] of awkwardKeys.entries()) await store.put('keys', key, { i });
      expect(await store.list('keys')).to.deep.equal([...awkwardKeys].sort());
      for (const [i, key] of awkwardKeys.entries()) expect((await store.get('keys', key))?.value).to.deep.equal({ i });
      const all = await readCollection(store, 'keys');
      expect(all.map((r) => r.key)).to.deep.equal([...awkwardKeys].sort());
    });

    it('refuses empty, ill-formed and too long keys, and bad collection names', async () => {
      expect(await rejected(store.put('apps', '', 1))).to.be.instanceOf(ValidationError);
      expect(await rejected(store.put('apps', 'lone \ud800 surrogate', 1))).to.be.instanceOf(ValidationError);
      const long = await rejected(store.put('apps', 'x'.repeat(251), 1));
      expect(long).to.be.instanceOf(ValidationError);
      expect((long as Error).message).to.match(/too long/);
      expect(await store.put('apps', 'x'.repeat(250), 1)).to.equal(0);
      expect(await rejected(store.put('a/b', 'k', 1))).to.be.instanceOf(ValidationError);
      expect(await rejected(store.list('..'))).to.be.instanceOf(ValidationError);
    });

    it('keeps collections apart', async () => {
      await store.put('apps', 'k', 'app');
      await store.put('jobs', 'k', 'job');
      expect((await store.get('apps', 'k'))?.value).to.equal('app');
      expect((await store.get('jobs', 'k'))?.value).to.equal('job');
      expect(await store.list('apps')).to.deep.equal(['k']);
    });

    it('stores JSON values by value, and refuses what is not JSON', async () => {
      const app = { id: '/web', env: { A: '1' }, ports: [80, 443], nested: [{ x: null }], flag: false };
      await store.put('apps', '/web', app);
      app.env.A = 'changed';
      expect((await store.get('apps', '/web'))?.value).to.deep.include({ env: { A: '1' }, nested: [{ x: null }] });
      for (const scalar of [0, 'text', null, true, []]) {
        await store.put('scalars', JSON.stringify(scalar), scalar);
        expect((await store.get('scalars', JSON.stringify(scalar)))?.value).to.deep.equal(scalar);
      }
      expect(await rejected(store.put('apps', 'u', undefined))).to.be.instanceOf(ValidationError);
      expect(await rejected(store.put('apps', 'b', { n: 1n }))).to.be.instanceOf(ValidationError);
    });

    it('refuses a record over the size limit, naming it, and stores one just under it intact', async () => {
      const big = { blob: 'x'.repeat(MAX_RECORD_BYTES) };
      const err = await rejected(store.put('apps', '/too/big', big));
      expect(err).to.be.instanceOf(StateRecordTooLargeError);
      expect(err).to.include({ collection: 'apps', key: '/too/big', limit: MAX_RECORD_BYTES });
      expect((err as Error).message).to.match(/record '\/too\/big' of collection 'apps' is 1000011 bytes/);
      expect(await rejected(store.create('apps', '/too/big', big))).to.be.instanceOf(StateRecordTooLargeError);
      expect(await store.get('apps', '/too/big')).to.equal(undefined);

      const fits = { blob: 'y'.repeat(MAX_RECORD_BYTES - 11) }; // exactly MAX_RECORD_BYTES of JSON
      expect(await store.put('apps', '/just/fits', fits)).to.equal(0);
      if (fixture.nearLimitReads === false) return;
      const back = await store.get('apps', '/just/fits');
      expect((back?.value as { blob: string }).blob.length).to.equal(MAX_RECORD_BYTES - 11);
    });

    // Only stores that persist (file, ZooKeeper) can be opened again; the memory store has no such test.
    if (persistent) {
      it('keeps its records for a store opened later on the same place', async () => {
        const reopen = fixture.reopen;
        if (!reopen) throw new Error(`${name}: a persistent store's fixture must be able to reopen it`);
        await store.put('apps', '/prod/web', { instances: 2 });
        await store.put('apps', '/prod/web', { instances: 3 });
        await store.create('runs', 'job@1', { runId: 'r1' });
        const second = await reopen();
        opened.push(second);
        expect(await second.get('apps', '/prod/web')).to.deep.include({ value: { instances: 3 }, version: 1 });
        expect(await second.list('runs')).to.deep.equal(['job@1']);
        expect((await second.create('runs', 'job@1', { runId: 'r2' })).created).to.equal(false);
      });
    }

    it('refuses calls once closed', async () => {
      await store.close();
      expect(await rejected(store.get('apps', 'k'))).to.be.instanceOf(HaClosedError);
      expect(await rejected(store.put('apps', 'k', 1))).to.be.instanceOf(HaClosedError);
    });
  });
}
