// Executor tokens (pure): issued by the agent, checked on the executor API;
// and the environment that carries them to the executor.
import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@mesocosm/protocol';
import { readExecutorEnvironment } from '@mesocosm/framework-sdk';
import { executorSecretPath, loadExecutorSecret } from '../src/executor-api/executor-secret.js';
import {
  executorPermission,
  issueExecutorToken,
  verifyExecutorToken,
  type ExecutorClaims,
  type ExecutorHmac,
} from '../src/executor-api/executor-token.js';
import { executorEnvironment } from '../src/executors/custom-environment.js';
import { executorInfo } from './helpers/executor-tasks.js';

const hmacWith =
  (key: string): ExecutorHmac =>
  (data) =>
    createHmac('sha256', key).update(data).digest();
const agentKey = hmacWith('the agent key');
const A: ExecutorClaims = { frameworkId: 'fw-1', executorId: 'exec-a', containerId: 'e-1' };

function refusal(authorization: string | undefined, hmac = agentKey): string {
  const check = verifyExecutorToken(authorization, hmac);
  if (check.ok) throw new Error('expected a refusal');
  expect(check.code).to.equal('UNAUTHENTICATED');
  return check.message;
}

describe('executor tokens', () => {
  it('verifies a token it issued and returns its claims; the token is a JWT (HS256) naming fid, eid and cid', () => {
    const token = issueExecutorToken(A, agentKey);
    expect(token).to.match(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const [header, payload] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).to.deep.equal({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).to.deep.equal({
      fid: 'fw-1',
      eid: 'exec-a',
      cid: 'e-1',
    });
    expect(verifyExecutorToken(`Bearer ${token}`, agentKey)).to.deep.equal({ ok: true, claims: A });
    expect(verifyExecutorToken(`bearer   ${token} `, agentKey).ok, 'scheme case and spaces').to.equal(true);
    expect(issueExecutorToken(A, agentKey), 'deterministic: recomputed after a restart').to.equal(token);
  });

  it('refuses no token, another scheme, and a malformed token, saying how to send one', () => {
    for (const missing of [undefined, '', '  ']) expect(refusal(missing)).to.contain("no 'authorization' metadata");
    expect(refusal(undefined)).to.contain('MESOS_EXECUTOR_AUTHENTICATION_TOKEN');
    expect(refusal('Basic dTpw')).to.contain("is not 'Bearer <token>'");
    expect(refusal('Bearer')).to.contain("is not 'Bearer <token>'");
    for (const malformed of ['Bearer abc', 'Bearer a.b', 'Bearer a.b.c.d'])
      expect(refusal(malformed)).to.contain('not an executor token');
  });

  it("refuses another agent's token and a token whose claims were changed, without echoing it", () => {
    const token = issueExecutorToken(A, agentKey);
    const foreign = issueExecutorToken(A, hmacWith('another agent'));
    expect(refusal(`Bearer ${foreign}`)).to.contain('was not issued by this agent');
    expect(refusal(`Bearer ${foreign}`)).not.to.contain(foreign);
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ fid: 'fw-1', eid: 'exec-b', cid: 'e-1' })).toString('base64url');
    expect(refusal(`Bearer ${header}.${forged}.${signature}`)).to.contain('was not issued by this agent');
    const otherHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(refusal(`Bearer ${otherHeader}.${token.split('.')[1]}.`)).to.contain('was not issued by this agent');
    expect(refusal(`Bearer ${token.slice(0, -2)}`)).to.contain('was not issued by this agent');
  });

  it('refuses signed claims that do not name a framework, an executor and a container', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const sign = (claims: string): string => {
      const payload = Buffer.from(claims).toString('base64url');
      return `Bearer ${header}.${payload}.${Buffer.from(agentKey(`${header}.${payload}`)).toString('base64url')}`;
    };
    expect(refusal(sign('{"fid":"fw-1","eid":"exec-a"}'))).to.contain('does not name');
    expect(refusal(sign('null'))).to.contain('does not name');
    expect(refusal(sign('{not json'))).to.contain('unreadable claims');
  });

  it('allows the executor, framework and container of the token only', () => {
    expect(executorPermission(A, 'fw-1', 'exec-a', 'e-1')).to.equal(undefined);
    expect(executorPermission(A, 'fw-1', 'exec-a', undefined), 'no such executor: the registry refuses').to.equal(
      undefined,
    );
    expect(executorPermission(A, 'fw-1', 'exec-b', 'e-2')).to.equal(
      "the token was issued to executor 'exec-a' of framework 'fw-1': it may not act as executor 'exec-b' of framework 'fw-1'",
    );
    expect(executorPermission(A, 'fw-2', 'exec-a', 'e-1')).to.contain("of framework 'fw-2'");
    expect(executorPermission(A, 'fw-1', 'exec-a', 'e-9')).to.contain("an earlier run of executor 'exec-a'");
  });
});

describe('the executor secret key', () => {
  let workDir = '';
  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'executor-secret-'));
  });
  afterEach(() => rm(workDir, { recursive: true, force: true }));

  it('is made once (0600) and kept: a restarted agent verifies the tokens of the previous run', async () => {
    const first = await loadExecutorSecret(workDir, silentLogger);
    const token = first.issue(A);
    const file = await stat(executorSecretPath(workDir));
    expect(file.mode & 0o777).to.equal(0o600);
    expect(file.size).to.equal(32);
    const again = await loadExecutorSecret(workDir, silentLogger);
    expect(again.verify(`Bearer ${token}`)).to.deep.equal({ ok: true, claims: A });
    const key = await readFile(executorSecretPath(workDir));
    expect(token).not.to.contain(key.toString('base64url'));
  });

  it('replaces a truncated key file (tokens of the old key are refused)', async () => {
    const token = (await loadExecutorSecret(workDir, silentLogger)).issue(A);
    await writeFile(executorSecretPath(workDir), 'short');
    const renewed = await loadExecutorSecret(workDir, silentLogger);
    expect(renewed.verify(`Bearer ${token}`).ok).to.equal(false);
    expect((await stat(executorSecretPath(workDir))).size).to.equal(32);
  });
});

describe("an executor's environment: token and TLS CA", () => {
  const base = {
    info: executorInfo('exec-a'),
    frameworkId: 'fw-1',
    agentId: 'a-1',
    sandbox: '/s',
    endpoint: '127.0.0.1:5061',
    host: '127.0.0.1',
  };

  it('carries the token and the CA file, which the SDK reads back', () => {
    const env = executorEnvironment({ ...base, base: {}, token: 'tok.en.x', tlsCa: '/w/meta/executor-api-ca.pem' });
    expect(env['MESOS_EXECUTOR_AUTHENTICATION_TOKEN']).to.equal('tok.en.x');
    expect(env['MESOCOSM_EXECUTOR_TLS_CA']).to.equal('/w/meta/executor-api-ca.pem');
    expect(env['MESOS_EXECUTOR_TLS_CA']).to.equal('/w/meta/executor-api-ca.pem');
    const read = readExecutorEnvironment(env);
    expect(read.authenticationToken).to.equal('tok.en.x');
    expect(read.tlsCa).to.equal('/w/meta/executor-api-ca.pem');
  });

  it("takes neither from the agent's environment nor from the ExecutorInfo", () => {
    const info = executorInfo('exec-a');
    info.command = {
      ...info.command,
      environment: {
        variables: [
          { name: 'MESOS_EXECUTOR_AUTHENTICATION_TOKEN', value: 'forged' },
          { name: 'MESOCOSM_EXECUTOR_TLS_CA', value: '/tmp/evil-ca.pem' },
        ],
      },
    };
    const inherited = { MESOS_EXECUTOR_AUTHENTICATION_TOKEN: 'the agents own', MESOS_EXECUTOR_TLS_CA: '/x' };
    const open = executorEnvironment({ ...base, info, base: inherited });
    expect(open['MESOS_EXECUTOR_AUTHENTICATION_TOKEN']).to.equal(undefined);
    expect(open['MESOCOSM_EXECUTOR_TLS_CA']).to.equal(undefined);
    expect(open['MESOS_EXECUTOR_TLS_CA']).to.equal(undefined);
    const env = executorEnvironment({ ...base, info, base: inherited, token: 'real' });
    expect(env['MESOS_EXECUTOR_AUTHENTICATION_TOKEN']).to.equal('real');
    expect(readExecutorEnvironment(open).authenticationToken).to.equal(undefined);
  });
});
