import { expect } from 'chai';
import { ValidationError } from '../../src/errors.js';
import { isZkUrl, parseZkUrl } from '../../src/zk/index.js';

describe('parseZkUrl', () => {
  it('splits an ensemble and a path', () => {
    expect(parseZkUrl('zk://h1:2181,h2:2182/mesos')).to.deep.equal({ connect: 'h1:2181,h2:2182', path: '/mesos' });
    expect(parseZkUrl(' zk://10.0.0.1:2181/a/b ')).to.deep.equal({ connect: '10.0.0.1:2181', path: '/a/b' });
    expect(parseZkUrl('zk://[::1]:2181/mesos').connect).to.equal('[::1]:2181');
  });

  it('gives a host without a port the default 2181', () => {
    expect(parseZkUrl('zk://zk1,zk2:3000/mesos').connect).to.equal('zk1:2181,zk2:3000');
  });

  it('keeps user:pass@ credentials as digest auth', () => {
    expect(parseZkUrl('zk://alice:s3cr:t@h1:2181/mesos')).to.deep.equal({
      connect: 'h1:2181',
      path: '/mesos',
      auth: { scheme: 'digest', credentials: 'alice:s3cr:t' },
    });
  });

  const bad: Array<[string, RegExp]> = [
    ['http://h1:2181/mesos', /must start with 'zk:\/\/'/],
    ['h1:2181/mesos', /must start with 'zk:\/\/'/],
    ['zk://h1:2181', /no znode path/],
    ['zk://h1:2181/', /no znode path/],
    ['zk:///mesos', /names no host/],
    ['zk://h1:2181,,h2:2181/mesos', /empty host/],
    ['zk://h1:99999/mesos', /out of range/],
    ['zk://h1:21x/mesos', /'h1:21x' is not host or host:port/],
    ['zk://h1:2181/mesos/', /empty segment/],
    ['zk://h1:2181/a//b', /empty segment/],
    ['zk://h1:2181/a/../b', /'\.' or '\.\.'/],
    ['zk://alice@h1:2181/mesos', /user:password/],
  ];
  for (const [url, message] of bad) {
    it(`rejects ${url}`, () => {
      expect(() => parseZkUrl(url))
        .to.throw(ValidationError, message)
        .with.property('message')
        .that.includes('zk://host1:2181,host2:2181/mesos');
    });
  }

  it('isZkUrl tells zk:// URLs from host:port', () => {
    expect(isZkUrl('zk://a/b')).to.equal(true);
    expect(isZkUrl('ZK://a/b')).to.equal(true);
    expect(isZkUrl('127.0.0.1:5060')).to.equal(false);
  });
});
