import { expect } from 'chai';
import { Resources, TaskState, TaskStatusReason, v1, type ITaskInfo, type mesocosm } from '@mesocosm/protocol';
import { containerLabels, containerName, identityFromLabels, LABELS } from '../../src/docker/container-labels.js';
import { containerSpec, dockerCommand, dockerTaskProblem } from '../../src/docker/container-spec.js';
import { dockerTerminalStatus } from '../../src/docker/exit-status.js';
import { classifyContainers } from '../../src/docker/recovery.js';

const { BRIDGE, HOST, NONE } = v1.ContainerInfo.DockerInfo.Network;

function dockerTask(
  docker: mesocosm.v1.ContainerInfo.IDockerInfo,
  resources = 'cpus:0.5;mem:64;ports:[31000-31002]',
  extra: Partial<ITaskInfo> = {},
  volumes: mesocosm.v1.IVolume[] = [],
): ITaskInfo {
  return {
    name: 't',
    taskId: { value: 'web.1' },
    resources: Resources.parse(resources).toProto(),
    container: { type: v1.ContainerInfo.Type.DOCKER, docker, volumes },
    ...extra,
  };
}

const spec = (task: ITaskInfo) =>
  containerSpec({
    task,
    framework: { id: { value: 'fw' }, name: 'fw', user: 'root' },
    frameworkId: 'fw',
    agentId: 'agent-1',
    workDir: '/var/lib/mesocosm',
    sandbox: '/var/lib/mesocosm/sandboxes/fw/web.1/run-2',
    run: 'run-2',
    host: '10.0.0.5',
  });

describe('docker: checking a task before anything is created', () => {
  it('accepts a BRIDGE task whose host ports come from its ports resources', () => {
    const task = dockerTask({
      image: 'busybox:1.36',
      network: BRIDGE,
      portMappings: [
        { hostPort: 31000, containerPort: 8080 },
        { hostPort: 31002, containerPort: 53, protocol: 'tcp,udp' },
      ],
    });
    expect(dockerTaskProblem(task)).to.equal(undefined);
  });

  for (const [what, task, words] of [
    ['an invalid image reference', dockerTask({ image: 'Not/Valid' }), 'not a valid Docker image reference'],
    ['no docker info', { ...dockerTask({}), container: { type: v1.ContainerInfo.Type.DOCKER } }, 'docker.image'],
    [
      'a host port outside the ports resources',
      dockerTask({ image: 'a', network: BRIDGE, portMappings: [{ hostPort: 32000, containerPort: 80 }] }),
      "host port 32000 is not in the task's ports resources (31000-31002)",
    ],
    [
      'a host port with no ports resources at all',
      dockerTask({ image: 'a', network: BRIDGE, portMappings: [{ hostPort: 31000, containerPort: 80 }] }, 'mem:32'),
      '(none)',
    ],
    [
      'port mappings without BRIDGE',
      dockerTask({ image: 'a', network: HOST, portMappings: [{ hostPort: 31000, containerPort: 80 }] }),
      'need BRIDGE',
    ],
    [
      'a host port mapped twice',
      dockerTask({
        image: 'a',
        network: BRIDGE,
        portMappings: [
          { hostPort: 31000, containerPort: 80 },
          { hostPort: 31000, containerPort: 81 },
        ],
      }),
      'mapped twice',
    ],
    [
      'a bad protocol',
      dockerTask({
        image: 'a',
        network: BRIDGE,
        portMappings: [{ hostPort: 31000, containerPort: 80, protocol: 'sctp' }],
      }),
      'not tcp, udp',
    ],
    [
      'a relative host path',
      dockerTask({ image: 'a' }, 'mem:32', {}, [{ containerPath: '/data', hostPath: 'data/x' }]),
      'is relative',
    ],
    [
      'a host path that escapes',
      dockerTask({ image: 'a' }, 'mem:32', {}, [{ containerPath: '/d', hostPath: '/srv/../etc' }]),
      'escapes',
    ],
    [
      'a relative container path',
      dockerTask({ image: 'a' }, 'mem:32', {}, [{ containerPath: 'data', hostPath: '/srv' }]),
      'is relative',
    ],
    [
      'a container path with ..',
      dockerTask({ image: 'a' }, 'mem:32', {}, [{ containerPath: '/a/../b', hostPath: '/srv' }]),
      "'..'",
    ],
    [
      'a hostname with HOST networking',
      { ...dockerTask({ image: 'a', network: HOST }), container: { type: 1, hostname: 'h', docker: { image: 'a' } } },
      'hostname',
    ],
  ] as const) {
    it(`refuses ${what}`, () => {
      const problem = dockerTaskProblem(task as ITaskInfo);
      expect(problem).to.be.a('string');
      expect(problem).to.include(words);
    });
  }
});

describe('docker: the container to create', () => {
  it('has the image, limits, ports, volumes, labels, name and environment of the task', () => {
    const task = dockerTask(
      { image: 'busybox:1.36', network: BRIDGE, portMappings: [{ hostPort: 31001, containerPort: 8080 }] },
      'cpus:0.5;mem:64;ports:[31000-31002]',
      {
        command: {
          shell: true,
          value: 'httpd -f -p 8080',
          environment: { variables: [{ name: 'FOO', value: 'bar' }] },
        },
        labels: {
          labels: [
            { key: 'team', value: 'a' },
            { key: LABELS.agentId, value: 'forged' },
          ],
        },
      },
      [
        { containerPath: '/data', hostPath: '/srv/data', mode: v1.Volume.Mode.RO },
        { containerPath: '/cache', hostPath: 'cache-vol' },
        { containerPath: '/scratch' },
      ],
    );
    const s = spec(task);
    expect(s.name).to.equal('mesocosm-agent-1-web.1-run-2');
    expect(s.Image).to.equal('busybox:1.36');
    expect(s.Entrypoint).to.deep.equal(['/bin/sh', '-c']);
    expect(s.Cmd).to.deep.equal(['httpd -f -p 8080']);
    expect(s.WorkingDir).to.equal('/mnt/mesos/sandbox');
    expect(s.HostConfig?.Memory).to.equal(64 * 1024 * 1024);
    expect(s.HostConfig?.MemorySwap).to.equal(64 * 1024 * 1024);
    expect(s.HostConfig?.NanoCpus).to.equal(500_000_000);
    expect(s.HostConfig?.CpuShares).to.equal(512);
    expect(s.HostConfig?.NetworkMode).to.equal('bridge');
    expect(s.ExposedPorts).to.deep.equal({ '8080/tcp': {} });
    expect(s.HostConfig?.PortBindings).to.deep.equal({ '8080/tcp': [{ HostPort: '31001' }] });
    expect(s.HostConfig?.Binds).to.deep.equal([
      '/var/lib/mesocosm/sandboxes/fw/web.1/run-2:/mnt/mesos/sandbox',
      '/srv/data:/data:ro',
      'cache-vol:/cache',
    ]);
    expect(s.Volumes).to.deep.equal({ '/scratch': {} });
    expect(s.Labels?.['team']).to.equal('a');
    expect(s.Labels?.[LABELS.agentId]).to.equal('agent-1');
    expect(s.Labels?.[LABELS.frameworkId]).to.equal('fw');
    expect(s.Labels?.[LABELS.executorId]).to.equal('web.1');
    expect(s.Labels?.[LABELS.taskId]).to.equal('web.1');
    expect(s.Env).to.include.members([
      'FOO=bar',
      'MESOS_TASK_ID=web.1',
      'MESOS_SANDBOX=/mnt/mesos/sandbox',
      'PORT0=31000',
      'HOST=10.0.0.5',
      'MESOS_CONTAINER_NAME=mesocosm-agent-1-web.1-run-2',
    ]);
    // Not the agent's own environment.
    expect(s.Env?.some((e) => e.startsWith('PATH='))).to.equal(false);
  });

  it('maps NONE and HOST networking, and sets no limits the task did not ask for', () => {
    expect(spec(dockerTask({ image: 'a', network: NONE }, 'disk:10')).HostConfig).to.deep.include({
      NetworkMode: 'none',
    });
    const host = spec(dockerTask({ image: 'a' }, 'disk:10')).HostConfig ?? {};
    expect(host.NetworkMode).to.equal('host');
    expect(host).to.not.have.any.keys('Memory', 'MemorySwap', 'NanoCpus', 'CpuShares', 'PortBindings');
  });

  it('takes the command as shell, as entrypoint with args, as args alone, or the image default', () => {
    expect(dockerCommand(undefined)).to.deep.equal({});
    expect(dockerCommand({ shell: true, value: 'echo hi' })).to.deep.equal({
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: ['echo hi'],
    });
    expect(dockerCommand({ shell: false, value: '/bin/echo', arguments: ['echo', 'a', 'b'] })).to.deep.equal({
      Entrypoint: ['/bin/echo'],
      Cmd: ['a', 'b'],
    });
    expect(dockerCommand({ shell: false, arguments: ['httpd', '-f'] })).to.deep.equal({ Cmd: ['httpd', '-f'] });
  });

  it('sanitises container names', () => {
    expect(containerName('a/b', 'task:1 x', 'run-1')).to.equal('mesocosm-a_b-task_1_x-run-1');
  });

  it('round-trips the task and framework through the labels', () => {
    const task = dockerTask({ image: 'busybox', network: BRIDGE }, 'cpus:1;mem:32;ports:[31000-31000]');
    const labels = containerLabels({
      agentId: 'ag',
      frameworkId: 'fw',
      taskId: 'web.1',
      workDir: '/w',
      sandbox: '/w/s',
      task,
      framework: { id: { value: 'fw' }, name: 'n' },
    });
    const id = identityFromLabels(labels);
    if ('problem' in id) throw new Error(id.problem);
    expect(id.agentId).to.equal('ag');
    expect(id.sandbox).to.equal('/w/s');
    expect(id.task.container?.docker?.image).to.equal('busybox');
    expect(Resources.fromProto(id.task.resources).toString()).to.equal(Resources.fromProto(task.resources).toString());
    expect(id.framework.name).to.equal('n');
    expect(identityFromLabels({ [LABELS.agentId]: 'ag' })).to.have.property('problem');
  });
});

describe('docker: how a container ended', () => {
  it('tells finished, failed, killed and OOM-killed apart', () => {
    expect(dockerTerminalStatus({ exitCode: 0, oomKilled: false }, false, 64).state).to.equal(TaskState.TASK_FINISHED);
    const failed = dockerTerminalStatus({ exitCode: 3, oomKilled: false }, false, 64);
    expect(failed).to.deep.equal({
      state: TaskState.TASK_FAILED,
      reason: TaskStatusReason.REASON_COMMAND_EXECUTOR_FAILED,
      message: 'Container exited with status 3',
    });
    expect(dockerTerminalStatus({ exitCode: 137, oomKilled: true }, true, 64).state).to.equal(TaskState.TASK_KILLED);
    const oom = dockerTerminalStatus({ exitCode: 137, oomKilled: true }, false, 64);
    expect(oom.state).to.equal(TaskState.TASK_FAILED);
    expect(oom.reason).to.equal(TaskStatusReason.REASON_CONTAINER_LIMITATION_MEMORY);
    expect(oom.message).to.include('64 MB').and.include('OOM');
  });
});

describe('docker: recovery', () => {
  const labelsOf = (agentId: string) =>
    containerLabels({
      agentId,
      frameworkId: 'fw',
      taskId: 't',
      workDir: '/w',
      sandbox: '/w/s',
      task: dockerTask({ image: 'a' }),
      framework: { id: { value: 'fw' } },
    });

  it("re-attaches this agent's containers and calls the others of its work dir orphans", () => {
    const { ours, orphans } = classifyContainers(
      [
        { Id: '1', Names: ['/mine'], Labels: labelsOf('ag-1') },
        { Id: '2', Names: ['/old'], Labels: labelsOf('ag-0') },
        { Id: '3', Names: ['/broken'], Labels: { [LABELS.workDir]: '/w' } },
      ],
      'ag-1',
    );
    expect(ours.map((c) => [c.id, c.name, c.identity.taskId])).to.deep.equal([['1', 'mine', 't']]);
    expect(orphans.map((o) => o.id)).to.deep.equal(['2', '3']);
    expect(orphans[0]!.why).to.include("agent 'ag-0'");
    // A work dir that never registered owns no container.
    expect(
      classifyContainers([{ Id: '1', Names: ['/x'], Labels: labelsOf('ag-1') }], undefined).orphans,
    ).to.have.length(1);
  });
});
