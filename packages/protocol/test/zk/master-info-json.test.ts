import { expect } from 'chai';
import { ValidationError } from '../../src/errors.js';
import {
  decodeMasterInfoJson,
  electionQueue,
  encodeMasterInfoJson,
  grpcAddressOf,
  leaderOf,
  mesosIpNumber,
  mesosIpString,
  sequenceOf,
} from '../../src/zk/index.js';

describe('the Mesos election layout', () => {
  it("encodes IPv4 addresses as Mesos' uint32 (a Mesos 0.24 znode: 10.0.2.231 is 3875667978)", () => {
    expect(mesosIpNumber('10.0.2.231')).to.equal(3875667978);
    expect(mesosIpString(3875667978)).to.equal('10.0.2.231');
    expect(mesosIpNumber('127.0.0.1')).to.equal(16777343);
    expect(mesosIpNumber('::1')).to.equal(0);
    expect(mesosIpNumber('host.example')).to.equal(0);
  });

  it("writes Mesos' MasterInfo JSON fields plus grpc_port and epoch", () => {
    const json = JSON.parse(
      encodeMasterInfoJson({
        id: 'm1',
        hostname: 'm1.local',
        ip: '10.0.2.231',
        port: 5050,
        grpcPort: 5060,
        version: '0.1.0',
        epoch: 7,
      }),
    ) as Record<string, unknown>;
    expect(json).to.deep.equal({
      address: { hostname: 'm1.local', ip: '10.0.2.231', port: 5050 },
      hostname: 'm1.local',
      id: 'm1',
      ip: 3875667978,
      pid: 'master@10.0.2.231:5050',
      port: 5050,
      version: '0.1.0',
      grpc_port: 5060,
      epoch: 7,
    });
  });

  it('reads its own JSON back, and finds the gRPC address', () => {
    const info = { id: 'm1', hostname: 'h', ip: '127.0.0.1', port: 5050, grpcPort: 5060, version: 'v', epoch: 3 };
    const back = decodeMasterInfoJson(Buffer.from(encodeMasterInfoJson(info)));
    expect(back).to.deep.equal(info);
    expect(grpcAddressOf(back)).to.equal('127.0.0.1:5060');
    expect(grpcAddressOf({ ip: '::1', grpcPort: 5060 })).to.equal('[::1]:5060');
  });

  it('refuses data that is not a Mesocosm master: not JSON, or a Mesos master without grpc_port', () => {
    expect(() => decodeMasterInfoJson('\x08\x01garbage')).to.throw(ValidationError, /not JSON/);
    const mesos = '{"address":{"hostname":"h","ip":"10.0.0.1","port":5050},"id":"x","ip":16777226,"port":5050}';
    expect(() => decodeMasterInfoJson(mesos)).to.throw(ValidationError, /no grpc_port.*Mesos master/);
  });

  it('falls back to the uint32 ip when address.ip is missing', () => {
    expect(decodeMasterInfoJson('{"ip":3875667978,"grpc_port":1}').ip).to.equal('10.0.2.231');
  });

  it('leaderOf picks the lowest json.info_ sequence and ignores other children', () => {
    expect(leaderOf([])).to.equal(undefined);
    expect(leaderOf(['json.info_0000000012', 'json.info_0000000003', 'json.info_0000000010'])).to.equal(
      'json.info_0000000003',
    );
    // Mesos' pre-1.0 protobuf znodes and unrelated children are not contenders.
    expect(leaderOf(['info_0000000001', 'log_replicas', 'json.info_0000000005', 'json.info_x'])).to.equal(
      'json.info_0000000005',
    );
    expect(leaderOf(['info_0000000001'])).to.equal(undefined);
  });

  it('electionQueue sorts contenders by sequence, numerically', () => {
    expect(electionQueue(['json.info_0000000100', 'x', 'json.info_0000000020']).map((c) => c.sequence)).to.deep.equal([
      20, 100,
    ]);
    expect(sequenceOf('json.info_0000000042', 'json.info_')).to.equal(42);
    expect(sequenceOf('json.info_42', 'json.info_')).to.equal(undefined);
  });
});
