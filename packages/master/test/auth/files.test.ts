// Reading ACL files: what is accepted, and errors that name the file and the
// entry. (The credentials files' tests are protocol's: test/auth/.)
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeRule, parseAcls } from '../../src/auth/acls.js';
import { AclsError } from '../../src/auth/errors.js';
import { loadAclsFile } from '../../src/auth/files.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('ACL files', () => {
  it("reads Mesos' JSON, aliases included", () => {
    const acls = parseAcls({
      permissive: false,
      shutdown_frameworks: [{ principals: { values: ['ops'] }, framework_principals: { type: 'ANY' } }],
      access_sandboxes: [{ principals: { type: 'ANY' }, users: { values: ['nobody'] } }],
      view_tasks: [{ principals: { values: ['a'] }, framework_principals: { values: ['a'] } }],
    });
    expect(acls.permissive).to.equal(false);
    expect(acls.rules.teardown_frameworks).to.have.length(1);
    expect(acls.rules.view_sandboxes[0]?.objectKind).to.equal('users');
    expect(describeRule(acls.rules.view_tasks[0]!)).to.equal(
      'view_tasks[0] (principals: ["a"], framework_principals: ["a"])',
    );
  });

  const bad: [string, unknown, RegExp][] = [
    ['a list at the top', [], /must be a JSON object/],
    ['an unknown action', { run_task: [] }, /run_task is not an action: use permissive, register_frameworks/],
    ['a non-boolean permissive', { permissive: 'no' }, /permissive must be true or false/],
    ['a rule that is not an object', { run_tasks: [1] }, /run_tasks\[0\] must be an object/],
    ['no principals', { run_tasks: [{ users: { type: 'ANY' } }] }, /run_tasks\[0\]\.principals is required/],
    ['no object', { run_tasks: [{ principals: { type: 'ANY' } }] }, /run_tasks\[0\] needs "users"/],
    [
      'an object of another action',
      { run_tasks: [{ principals: { type: 'ANY' }, roles: { type: 'ANY' } }] },
      /run_tasks\[0\]\.roles is not a field of a run_tasks rule/,
    ],
    [
      'two object kinds',
      { view_tasks: [{ principals: { type: 'ANY' }, users: { type: 'ANY' }, framework_principals: { type: 'ANY' } }] },
      /give one of framework_principals, users/,
    ],
    [
      'a bad type',
      { run_tasks: [{ principals: { type: 'SOME' }, users: { type: 'ANY' } }] },
      /principals\.type must be "ANY" or "NONE"/,
    ],
    [
      'empty values',
      { run_tasks: [{ principals: { values: [] }, users: { type: 'ANY' } }] },
      /values is empty: to match nothing use/,
    ],
    [
      'a non-string value',
      { run_tasks: [{ principals: { values: ['a', 3] }, users: { type: 'ANY' } }] },
      /principals\.values\[1\] must be a non-empty string/,
    ],
  ];
  for (const [what, json, message] of bad) {
    it(`refuses ${what}, naming the field`, () => {
      const err = thrown(() => parseAcls(json));
      expect(err).to.be.instanceOf(AclsError);
      expect(err.message).to.match(message);
    });
  }

  it('names the file of a bad ACL file, and a missing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'acls-'));
    try {
      await writeFile(join(dir, 'acls.json'), '{"run_tasks": [{"principals": {"type": "ANY"}}]}');
      expect(thrown(() => loadAclsFile(join(dir, 'acls.json'))).message).to.equal(
        `ACLs in ${join(dir, 'acls.json')}: run_tasks[0] needs "users"`,
      );
      await writeFile(join(dir, 'broken.json'), '{"run_tasks": [');
      expect(thrown(() => loadAclsFile(join(dir, 'broken.json'))).message).to.match(
        /broken\.json: \(file\) is not JSON/,
      );
      expect(thrown(() => loadAclsFile(join(dir, 'nope.json'))).message).to.match(
        /nope\.json: \(file\) cannot be read \(ENOENT\)/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
