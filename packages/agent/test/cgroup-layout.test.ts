import { expect } from 'chai';
import { parseCgroupMounts, parseProcCgroup, v1ControllerDir, v2Dir } from '../src/isolation/cgroup-layout.js';
import { counter } from '../src/isolation/cgroup-fs.js';
import { parseProcStat } from '../src/isolation/proc-stat.js';

const HYBRID_CGROUP = `9:name=systemd:/
4:memory:/process_api/abc
2:cpu,cpuacct:/
0::/
`;
const HYBRID_MOUNTS = `30 25 0:26 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
31 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
32 25 0:28 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`;

describe('cgroup layout', () => {
  it('finds the v1 controller directories of this process', () => {
    const cg = parseProcCgroup(HYBRID_CGROUP);
    const mounts = parseCgroupMounts(HYBRID_MOUNTS);
    expect(v1ControllerDir(cg, mounts, 'memory')).to.equal('/sys/fs/cgroup/memory/process_api/abc');
    expect(v1ControllerDir(cg, mounts, 'cpu')).to.equal('/sys/fs/cgroup/cpu,cpuacct');
    expect(v1ControllerDir(cg, mounts, 'pids')).to.equal(undefined);
    expect(v2Dir(cg, mounts)).to.equal('/sys/fs/cgroup/unified');
  });

  it('handles a pure v2 host and namespaced mount roots', () => {
    const cg = parseProcCgroup('0::/system.slice/agent.service\n');
    const mounts = parseCgroupMounts('29 23 0:26 /system.slice /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n');
    expect(cg.v1.size).to.equal(0);
    expect(v2Dir(cg, mounts)).to.equal('/sys/fs/cgroup/agent.service');
  });

  it('reads counters and /proc/<pid>/stat', () => {
    expect(counter('oom_kill_disable 0\nunder_oom 0\noom_kill 3\n', 'oom_kill')).to.equal(3);
    expect(counter('low 0\nmax 2\n', 'oom_kill')).to.equal(undefined);
    const stat = parseProcStat(
      '123 (a (weird) name) S 1 120 120 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 1 2 77 18446744073709551615',
    );
    expect(stat).to.deep.equal({ pid: 123, pgrp: 120, rssPages: 77, state: 'S', startTime: 1 });
  });
});
