import { expect } from 'chai';
import {
  chooseSubnet,
  deadDefaultRuns,
  isRunLink,
  parseLinkNames,
  parseNetnsList,
  routedSubnets,
  runNames,
  vethName,
} from '../../src/net/names.js';

describe('network host names', () => {
  it('derives short link names that fit IFNAMSIZ and recognises its own', () => {
    const { tag, bridge } = runNames('p4194304x12');
    expect(tag).to.match(/^[0-9a-f]{6}$/);
    expect(bridge).to.equal(`mcb${tag}`);
    expect(vethName(tag, 254).length).to.be.at.most(15);
    expect(isRunLink(tag, vethName(tag, 7))).to.equal(true);
    expect(isRunLink(tag, bridge)).to.equal(true);
    expect(isRunLink(tag, 'mcv000000i7')).to.equal(tag === '000000');
    expect(isRunLink(tag, 'eth0')).to.equal(false);
  });

  it('finds the used 10.213.X.0/24 subnets and picks a free one', () => {
    const routes = [
      'default via 192.0.2.1 dev eth0',
      '10.213.5.0/24 dev mcbaaaaaa proto kernel scope link src 10.213.5.1',
      '10.213.6.0/24 dev mcbbbbbbb proto kernel scope link src 10.213.6.1 linkdown',
      '172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1',
    ].join('\n');
    const used = routedSubnets(routes);
    expect([...used]).to.deep.equal([
      [5, 'mcbaaaaaa'],
      [6, 'mcbbbbbbb'],
    ]);
    const start = chooseSubnet('000004', new Set()); // 4 % 254 + 1
    expect(start).to.equal(5);
    expect(chooseSubnet('000004', new Set(used.keys()))).to.equal(7);
    expect(chooseSubnet('000004', new Set(Array.from({ length: 255 }, (_, i) => i)))).to.equal(undefined);
  });

  it("finds default-named runs whose process is gone, and parses iproute2's lists", () => {
    const netns = parseNetnsList('mc-p10x0-a (id: 3)\nmc-p10x0-b (id: 4)\nmc-p11x2-a\nmc-mine-a\nother\n');
    expect(netns).to.deep.equal(['mc-p10x0-a', 'mc-p10x0-b', 'mc-p11x2-a', 'mc-mine-a', 'other']);
    expect(deadDefaultRuns(netns, (pid) => pid === 11)).to.deep.equal(['p10x0']);
    const links = parseLinkNames(
      '1: lo: <LOOPBACK,UP> mtu 65536\n7: mcvabcdefi2@if2: <BROADCAST> mtu 1500\n8: mcbabcdef: <BROADCAST> mtu 1500\n',
    );
    expect(links).to.deep.equal(['lo', 'mcvabcdefi2', 'mcbabcdef']);
  });
});
