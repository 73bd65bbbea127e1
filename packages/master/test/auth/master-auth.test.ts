// MasterAuth: who may in, what the ACLs let them do, and the counters.
import { expect } from 'chai';
import { basicAuthorization } from '@mesocosm/protocol';
import { resolveAuthOptions } from '../../src/auth/config.js';
import { PermissionDeniedError } from '../../src/auth/errors.js';
import { MasterAuth } from '../../src/auth/master-auth.js';
import { resolveOptions } from '../../src/options.js';

const credentials = {
  credentials: [{ principal: 'web', secret: 'web-secret' }],
  tokens: [{ principal: 'ops', token: 'ops-token-0123456789' }],
};

describe('MasterAuth', () => {
  it('lets anonymous callers in when authentication is off, and still checks presented credentials', () => {
    const auth = new MasterAuth(resolveAuthOptions({ credentials }));
    expect(auth.authenticate('frameworks', undefined)).to.deep.equal({ ok: true, principal: undefined });
    expect(auth.authenticate('frameworks', basicAuthorization('web', 'web-secret'))).to.deep.equal({
      ok: true,
      principal: 'web',
    });
    const wrong = auth.authenticate('frameworks', basicAuthorization('web', 'guess'));
    expect(wrong.ok).to.equal(false);
    expect(auth.metrics()['master/authentication/failed/frameworks']).to.equal(1);
  });

  it('refuses missing, wrong and unreadable credentials where required, saying how to give them', () => {
    const auth = new MasterAuth(
      resolveAuthOptions({
        credentials,
        authenticateFrameworks: true,
        authenticateAgents: true,
        authenticateHttp: true,
      }),
    );
    const missing = auth.authenticate('frameworks', undefined);
    expect(missing.ok).to.equal(false);
    if (!missing.ok) {
      expect(missing.error.code).to.equal('UNAUTHENTICATED');
      expect(missing.error.message).to.match(/--authenticate_frameworks.*MESOCOSM_PRINCIPAL/);
    }
    const agent = auth.authenticate('agents', undefined);
    if (!agent.ok) expect(agent.error.message).to.match(/--credential FILE/);
    const garbled = auth.authenticate('http', 'Basic ###');
    if (!garbled.ok)
      expect(garbled.error.message).to.match(/header cannot be read: the Basic credentials are not base64/);
    const wrong = auth.authenticate('http', basicAuthorization('web', 'nope'));
    if (!wrong.ok) {
      expect(wrong.error.message).to.equal(
        "authentication of principal 'web' failed: unknown principal or wrong secret",
      );
    }
    expect(auth.authenticate('http', 'Bearer ops-token-0123456789')).to.deep.equal({ ok: true, principal: 'ops' });
    const tokenForFramework = auth.authenticate('frameworks', 'Bearer ops-token-0123456789');
    if (!tokenForFramework.ok) expect(tokenForFramework.error.message).to.match(/bearer tokens are for operators/);
    expect(tokenForFramework.ok).to.equal(false);
    expect(auth.metrics()).to.include({
      'master/authentication/failed/frameworks': 2,
      'master/authentication/failed/agents': 1,
      'master/authentication/failed/http': 2,
    });
  });

  it('refuses to require authentication without credentials to check against', () => {
    expect(() => resolveOptions({ authenticateFrameworks: true })).to.throw(
      /authenticateFrameworks: needs credentials to check callers against: give --credentials FILE/,
    );
    expect(() => resolveOptions({ acls: { run_tasks: [{ principals: { type: 'ANY' } }] } })).to.throw(
      /acls: ACLs: run_tasks\[0\] needs "users"/,
    );
    expect(() => resolveOptions({ credentials: { credentials: [{ principal: 'a', secret: '' }] } })).to.throw(
      /credentials: credentials: credentials\[0\] \(principal 'a'\) needs a non-empty "secret"/,
    );
  });

  it('denies with the rule that decided, and counts each denial by action', () => {
    const auth = new MasterAuth(
      resolveAuthOptions({
        acls: {
          run_tasks: [
            { principals: { type: 'ANY' }, users: { values: ['root'] } },
            { principals: { type: 'ANY' }, users: { type: 'NONE' } },
          ],
          permissive: false,
        },
      }),
    );
    expect(() => auth.authorize('run_tasks', 'web', { users: 'nobody' }, "run task 't' as user 'nobody'"))
      .to.throw(PermissionDeniedError)
      .with.property(
        'message',
        "principal 'web' may not run task 't' as user 'nobody': denied by ACL rule run_tasks[1] (principals: ANY, users: NONE)",
      );
    expect(() =>
      auth.authorize('teardown_frameworks', undefined, { framework_principals: 'x' }, 'tear down x'),
    ).to.throw(
      'an unauthenticated caller may not tear down x: denied by the ACLs\' default: no teardown_frameworks rule applies and "permissive" is false',
    );
    auth.authorize('run_tasks', 'web', { users: 'root' }, 'run as root');
    expect(auth.metrics()).to.include({
      'master/authorization/denied/run_tasks': 1,
      'master/authorization/denied/teardown_frameworks': 1,
      'master/authorization/denied/register_frameworks': 0,
    });
  });
});
