// Running command tasks as their user: the pure parts, and the host lookup.
import { expect } from 'chai';
import { asUser, lookupUser, parsePasswdLine, requestedUser, userEnvironment } from '../src/executors/run-as-user.js';

describe('run as user', () => {
  it('takes the command user, else the framework user', () => {
    expect(requestedUser({ command: { user: 'www' } }, { user: 'nobody' })).to.equal('www');
    expect(requestedUser({ command: { value: 'x' } }, { user: 'nobody' })).to.equal('nobody');
    expect(requestedUser({}, {})).to.equal(undefined);
  });

  it('reads passwd lines and ignores what is not one', () => {
    expect(parsePasswdLine('nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin')).to.deep.equal({
      name: 'nobody',
      uid: 65534,
      gid: 65534,
      home: '/nonexistent',
    });
    expect(parsePasswdLine('# comment')).to.equal(undefined);
    expect(parsePasswdLine('x:x:abc:1:::')).to.equal(undefined);
  });

  it('drops to the uid, gid and groups with setpriv, running the command itself', () => {
    const account = { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' };
    expect(asUser({ file: '/bin/sh', args: ['-c', 'id'] }, account, '/usr/bin/setpriv')).to.deep.equal({
      file: '/usr/bin/setpriv',
      args: ['--reuid=65534', '--regid=65534', '--init-groups', '--', '/bin/sh', '-c', 'id'],
    });
    expect(userEnvironment({ PATH: '/bin', USER: 'root' }, account)).to.deep.equal({
      PATH: '/bin',
      USER: 'nobody',
      LOGNAME: 'nobody',
      HOME: '/nonexistent',
    });
  });

  it('looks users up in the host database', async () => {
    expect((await lookupUser('root'))?.uid).to.equal(0);
    expect(await lookupUser('mesocosm-no-such-user')).to.equal(undefined);
    expect(await lookupUser('root:x')).to.equal(undefined);
  });
});
