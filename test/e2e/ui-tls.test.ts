// The master's web UI over HTTPS in Debian's Chromium: the page loads from a
// TLS master (a throwaway CA), its live feed connects over wss:, and a
// framework that subscribes over TLS shows up on the page live. Chromium
// accepts exactly the cluster's certificate (by its public key's hash), no
// other. The screenshot goes to .test-results/screenshots/tls-overview.png.
import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { SchedulerDriver, silentLogger } from '@mesocosm/framework-sdk';
import { LocalCluster, waitFor } from '@mesocosm/testing';
import { dataValue, launchChromium, openPage, screenshot, waitLive } from './browser.js';

/** Chromium's `--ignore-certificate-errors-spki-list` value for the certificate in `certFile`. */
async function spkiHash(certFile: string): Promise<string> {
  const cert = new X509Certificate(await readFile(certFile));
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

describe('master web UI over HTTPS and wss in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let cluster: LocalCluster;
  let page: Page;
  let driver: SchedulerDriver | undefined;
  const errors: string[] = [];
  const sockets: string[] = [];

  before(async function () {
    cluster = await LocalCluster.start({ agents: 1, tls: true });
    browser = await launchChromium(this, [
      `--ignore-certificate-errors-spki-list=${await spkiHash(cluster.tls!.certFile)}`,
    ]);
    page = await openPage(browser, errors);
    page.on('websocket', (ws) => sockets.push(ws.url()));
  });

  after(async () => {
    await driver?.teardown().catch(() => undefined);
    await browser?.close();
    await cluster?.stop();
  });

  it('loads the overview from https:// and shows live data over wss:', async () => {
    expect(cluster.masterHttp).to.match(/^https:\/\//);
    const response = await page.goto(`${cluster.masterHttp}/`);
    expect(response?.ok(), 'the page over HTTPS').to.equal(true);
    await waitLive(page);
    expect(sockets.length).to.be.greaterThan(0);
    for (const url of sockets) expect(url).to.match(/^wss:\/\/127\.0\.0\.1:\d+\/api\/v1\/feed/);
    expect(await dataValue(page, 'count-agents-active')).to.equal(1);
    expect(await page.getByTestId('leader-url').textContent()).to.equal(cluster.masterHttp);
    expect(await dataValue(page, 'count-frameworks-active')).to.equal(0);

    // A framework subscribes over TLS: the page learns it from the feed, without a reload.
    driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name: 'tls-ui-framework', user: 'nobody' },
      logger: silentLogger,
      tls: { ca: cluster.tls!.caFile },
    });
    driver.on('offers', ({ offers }) =>
      driver?.decline(
        (offers ?? []).map((o) => o.id?.value ?? ''),
        { refuseSeconds: 60 },
      ),
    );
    await driver.start();
    await waitFor(async () => (await dataValue(page, 'count-frameworks-active')) === 1, {
      timeoutMs: 15_000,
      message: 'the framework on the page, live',
    });
    await screenshot(page, 'tls-overview');
    expect(errors, 'errors in the page').to.deep.equal([]);
  });
});
