import { expect } from 'chai';
import {
  parseAttributesFlag,
  parseBoolean,
  parseCount,
  parseHostPort,
  parseIp,
  parseIsolation,
  parseMasterAddress,
  parseRecover,
  parsePort,
  parseResourcesFlag,
  parseWeights,
} from '../src/flags.js';

describe('flag parsers', () => {
  it('ports: 0..65535 only', () => {
    expect(parsePort('0')).to.equal(0);
    expect(parsePort('5050')).to.equal(5050);
    expect(parsePort('65535')).to.equal(65535);
    expect(() => parsePort('65536')).to.throw(/0 to 65535/);
    expect(() => parsePort('-1')).to.throw(/not a port/);
    expect(() => parsePort('http')).to.throw(/not a port/);
    expect(() => parsePort('50.5')).to.throw(/not a port/);
  });

  it('counts: whole numbers above a minimum', () => {
    expect(parseCount('3', 1)).to.equal(3);
    expect(() => parseCount('0', 1)).to.throw(/at least 1/);
    expect(() => parseCount('two')).to.throw(/not a whole number/);
  });

  it('host:port for --master', () => {
    expect(parseHostPort('127.0.0.1:5060')).to.equal('127.0.0.1:5060');
    expect(parseHostPort('master.example.com:5060')).to.equal('master.example.com:5060');
    expect(parseHostPort('[::1]:5060')).to.equal('[::1]:5060');
    expect(() => parseHostPort('127.0.0.1')).to.throw(/gRPC address, e\.g\. 127\.0\.0\.1:5060/);
    expect(() => parseHostPort('zk://h:2181/mesos')).to.throw(/not host:port/);
    expect(() => parseHostPort('h:0')).to.throw(/not host:port/);
  });

  it('IP addresses', () => {
    expect(parseIp('0.0.0.0')).to.equal('0.0.0.0');
    expect(parseIp('::1')).to.equal('::1');
    expect(() => parseIp('256.1.1.1')).to.throw(/not an IP address/);
    expect(() => parseIp('localhost')).to.throw(/not an IP address/);
  });

  it('weights: role=weight,...', () => {
    expect(parseWeights('prod=2,dev=0.5')).to.deep.equal({ prod: 2, dev: 0.5 });
    expect(parseWeights(' a=1 ')).to.deep.equal({ a: 1 });
    expect(() => parseWeights('prod')).to.throw(/'prod' is not role=weight/);
    expect(() => parseWeights('prod=0')).to.throw(/positive weight/);
    expect(() => parseWeights(',')).to.throw(/names no role/);
  });

  it('booleans', () => {
    expect(parseBoolean('true')).to.equal(true);
    expect(parseBoolean('0')).to.equal(false);
    expect(parseBoolean('No')).to.equal(false);
    expect(() => parseBoolean('maybe')).to.throw(/true or false/);
  });

  it('isolation, including Mesos isolator lists', () => {
    expect(parseIsolation('auto')).to.equal('auto');
    expect(parseIsolation('posix/cpu,posix/mem')).to.equal('posix');
    expect(parseIsolation('cgroups/cpu,cgroups/mem')).to.equal('cgroups');
    expect(() => parseIsolation('posix/cpu,cgroups/mem')).to.throw(/auto, cgroups or posix/);
    expect(() => parseIsolation('docker')).to.throw(/not an isolation mode/);
  });

  it('master address: host:port or a zk:// URL', () => {
    expect(parseMasterAddress('10.0.0.1:5060')).to.equal('10.0.0.1:5060');
    expect(parseMasterAddress('zk://z1:2181,z2:2181/mesos')).to.equal('zk://z1:2181,z2:2181/mesos');
    expect(() => parseMasterAddress('zk://z1:2181')).to.throw(/znode path/);
    expect(() => parseMasterAddress('nowhere')).to.throw(/not host:port/);
  });

  it('recovery mode: reconnect or cleanup', () => {
    expect(parseRecover('reconnect')).to.equal('reconnect');
    expect(parseRecover('cleanup')).to.equal('cleanup');
    expect(() => parseRecover('restart')).to.throw(/use reconnect or cleanup/);
  });

  it('resources and attributes are validated, with an example in the error', () => {
    expect(parseResourcesFlag('cpus:4;mem:8192;ports:[31000-32000]')).to.equal('cpus:4;mem:8192;ports:[31000-32000]');
    expect(() => parseResourcesFlag('cpus:lots')).to.throw(/e\.g\. --resources/);
    expect(parseAttributesFlag('rack:r1;zone:a')).to.equal('rack:r1;zone:a');
    expect(() => parseAttributesFlag('rack')).to.throw(/e\.g\. --attributes/);
  });
});
