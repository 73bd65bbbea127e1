import { expect } from 'chai';
import {
  validateId,
  validateRole,
  validateFrameworkInfo,
  validateTaskInfo,
  validateAgentInfo,
  frameworkRoles,
  ValidationError,
  Resources,
  type ITaskInfo,
} from '../src/index.js';

const task = (over: Partial<ITaskInfo> = {}): ITaskInfo => ({
  name: 't',
  taskId: { value: 't1' },
  agentId: { value: 'a1' },
  resources: Resources.parse('cpus:0.1;mem:32').toProto(),
  command: { shell: true, value: 'true' },
  ...over,
});

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ValidationError);
    return (err as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
}

describe('validate', () => {
  it('accepts path-safe IDs and refuses the rest', () => {
    expect(validateId('task-1.a_b', 'id')).to.equal('task-1.a_b');
    for (const bad of ['', '..', 'a/b', 'a b', 'x\u0000', 'y'.repeat(256)]) {
      expect(() => validateId(bad, 'task_id'), JSON.stringify(bad)).to.throw(ValidationError, /task_id/);
    }
  });

  it('checks roles as Mesos does', () => {
    expect(validateRole('*', 'r')).to.equal('*');
    expect(validateRole('web/prod', 'r')).to.equal('web/prod');
    for (const bad of ['', '.', '-x', '/x', 'a b', 'a/../b'])
      expect(() => validateRole(bad, 'r'), bad).to.throw(ValidationError);
  });

  it('checks FrameworkInfo and defaults roles to *', () => {
    expect(frameworkRoles({ name: 'f' })).to.deep.equal(['*']);
    expect(fieldOf(() => validateFrameworkInfo({ name: '' }))).to.equal('framework_info.name');
    expect(fieldOf(() => validateFrameworkInfo({ name: 'f', failoverTimeout: -1 }))).to.equal(
      'framework_info.failover_timeout',
    );
    expect(fieldOf(() => validateFrameworkInfo({ name: 'f', roles: ['a', 'a'] }))).to.equal('framework_info.roles');
    expect(validateFrameworkInfo({ name: 'f', roles: ['web'] }).name).to.equal('f');
  });

  it('checks TaskInfo shape and returns its resources', () => {
    expect(validateTaskInfo(task(), 'task').scalar('cpus')).to.equal(0.1);
    expect(fieldOf(() => validateTaskInfo(task({ taskId: { value: '' } }), 'tasks[0]'))).to.equal('tasks[0].task_id');
    expect(fieldOf(() => validateTaskInfo(task({ command: null }), 'tasks[0]'))).to.equal('tasks[0]');
    expect(fieldOf(() => validateTaskInfo(task({ command: { value: '' } }), 'tasks[0]'))).to.equal(
      'tasks[0].command.value',
    );
    expect(fieldOf(() => validateTaskInfo(task({ resources: [] }), 'tasks[0]'))).to.equal('tasks[0].resources');
    expect(
      fieldOf(() => validateTaskInfo(task({ resources: [{ name: 'cpus', scalar: { value: -2 } }] }), 'tasks[0]')),
    ).to.equal('tasks[0].resources[0].scalar');
    expect(fieldOf(() => validateTaskInfo(task({ killPolicy: { gracePeriodSeconds: -1 } }), 't'))).to.equal(
      't.kill_policy.grace_period_seconds',
    );
  });

  it('checks AgentInfo', () => {
    const ok = { hostname: 'h', port: 5051, resources: Resources.parse('cpus:1').toProto() };
    expect(validateAgentInfo(ok).scalar('cpus')).to.equal(1);
    expect(fieldOf(() => validateAgentInfo({ ...ok, hostname: '' }))).to.equal('agent_info.hostname');
    expect(fieldOf(() => validateAgentInfo({ ...ok, port: 0 }))).to.equal('agent_info.port');
    expect(fieldOf(() => validateAgentInfo({ ...ok, resources: [] }))).to.equal('agent_info.resources');
  });
});
