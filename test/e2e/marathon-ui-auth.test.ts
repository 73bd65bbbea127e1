// Marathon's web page behind --http_credentials and --http_acls, in Debian's
// Chromium: without credentials the page is a 401; with alice's, the page
// loads, shows her apps and not bob's, and its event stream (opened with the
// same credentials the browser answered the challenge with) brings her next
// app onto the page without a reload.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { silentLogger } from '@mesocosm/framework-sdk';
import { Marathon } from '@mesocosm/marathon';
import { LocalCluster, waitFor } from '@mesocosm/testing';
import { basic, principals, request } from '../integration/api-auth-fixtures.js';
import { launchChromium } from './browser.js';

describe('Marathon web page with authentication and ACLs in Chromium', function () {
  this.timeout(120_000);
  const p = principals();
  let browser: Browser | undefined;
  let cluster: LocalCluster;
  let marathon: Marathon;

  before(async function () {
    browser = await launchChromium(this);
    cluster = await LocalCluster.start({ agents: 1 });
    marathon = await Marathon.start({
      master: cluster.masterGrpc,
      hostname: '127.0.0.1',
      httpHost: '127.0.0.1',
      httpPort: 0,
      frameworkName: 'marathon-ui-auth',
      logger: silentLogger,
      httpAuth: {
        credentials: [
          { principal: 'alice', secret: p.alice },
          { principal: 'bob', secret: p.bob },
        ],
        acls: [
          { principal: 'alice', actions: ['*'], paths: ['/team-a/**'] },
          { principal: 'bob', actions: ['*'], paths: ['/team-b/**'] },
        ],
      },
    });
    await waitFor(() => marathon.isLeader, { timeoutMs: 20_000, message: 'Marathon leads' });
    const create = (user: 'alice' | 'bob', id: string) =>
      request('POST', `${marathon.url}/v2/apps`, basic(user, p[user]), { id, cmd: 'sleep 600', cpus: 0.05, mem: 16 });
    expect((await create('alice', '/team-a/web')).status).to.equal(201);
    expect((await create('bob', '/team-b/db')).status).to.equal(201);
  });

  after(async () => {
    await browser?.close();
    await marathon?.stop();
    await cluster?.stop();
  });

  it('does not open without credentials, or with a wrong password', async () => {
    for (const httpCredentials of [undefined, { username: 'alice', password: p.bob }]) {
      const context = await browser!.newContext(httpCredentials === undefined ? {} : { httpCredentials });
      const page = await context.newPage();
      // Headless Chromium cannot prompt: the 401 challenge ends the navigation.
      const failure = await page.goto(`${marathon.url}/`).then(
        (response) => `HTTP ${response?.status() ?? '?'}`,
        (err: Error) => err.message,
      );
      expect(failure).to.match(/ERR_INVALID_AUTH_CREDENTIALS|HTTP 401/);
      await context.close();
    }
  });

  it("shows alice her apps only, and her next app arrives live through the page's event stream", async () => {
    const context = await browser!.newContext({ httpCredentials: { username: 'alice', password: p.alice } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const response = await page.goto(`${marathon.url}/`);
    expect(response?.status()).to.equal(200);
    await page.locator('#apps', { hasText: '/team-a/web' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#apps').textContent()).not.to.contain('/team-b');
    expect(await page.locator('#status').getAttribute('class')).not.to.equal('bad');
    const created = await request('POST', `${marathon.url}/v2/apps`, basic('alice', p.alice), {
      id: '/team-a/api',
      cmd: 'sleep 600',
      cpus: 0.05,
      mem: 16,
    });
    expect(created.status).to.equal(201);
    await page.locator('#apps', { hasText: '/team-a/api' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#apps').textContent()).not.to.contain('/team-b');
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
