// The authentication flags of the `mesocosm` command, end to end: a master
// started with --credentials, --acls and --authenticate_* files written by
// LocalCluster, and an agent with --credential, as child processes.
import { expect } from 'chai';
import { silentLogger } from '@mesocosm/framework-sdk';
import { LocalCluster } from '@mesocosm/testing';
import { cred, launcherLogging, refusal } from './auth-helpers.js';

const launcher = launcherLogging(silentLogger);

describe('authentication flags of the mesocosm command (processes)', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  const saved = process.env['MESOCOSM_PRINCIPAL'];
  before(async () => {
    delete process.env['MESOCOSM_PRINCIPAL']; // the driver without a credential must present none
    // Written as --credentials/--acls files and an agent --credential file by LocalCluster.
    cluster = await LocalCluster.start({
      mode: 'processes',
      agents: [{ credential: cred('agent') }],
      masterOptions: {
        authenticateFrameworks: true,
        authenticateAgents: true,
        credentials: { credentials: [cred('web'), cred('agent')] },
        acls: { register_frameworks: [{ principals: { type: 'ANY' }, roles: { type: 'NONE' } }] },
      },
    });
    await cluster.waitForAgents(1);
  });
  after(async () => {
    await cluster?.stop();
    if (saved !== undefined) process.env['MESOCOSM_PRINCIPAL'] = saved;
  });

  it('registers an agent with --credential, refuses frameworks without credentials and roles the ACLs deny', async () => {
    const none = await refusal(launcher(cluster, { name: 'anon', user: 'nobody' }, undefined).driver);
    expect(none.masterCode).to.equal('UNAUTHENTICATED');
    const denied = await refusal(launcher(cluster, { name: 'web', user: 'nobody' }, cred('web')).driver);
    expect(denied.masterCode).to.equal('PERMISSION_DENIED');
    expect(denied.message).to.match(/register_frameworks\[0\] \(principals: ANY, roles: NONE\)/);
  });
});
