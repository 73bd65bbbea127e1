// The ACL evaluator: examples as the docs state them, and properties against
// a reference (most specific rule first, file order among equals, NONE
// never allows, `permissive` when nothing applies).
import { expect } from 'chai';
import fc from 'fast-check';
import { orderRules, parseAcls, specificity, type AclEntity, type AclRule, type Acls } from '../../src/auth/acls.js';
import { allowsEverything, applies, decide, ruleAllows } from '../../src/auth/authorizer.js';

const PRINCIPALS = ['alice', 'bob', 'carol'];
const USERS = ['root', 'nobody', 'www'];

const entity = (names: readonly string[]): fc.Arbitrary<AclEntity> =>
  fc.oneof(
    fc.constant<AclEntity>({ kind: 'any' }),
    fc.constant<AclEntity>({ kind: 'none' }),
    fc
      .uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: names.length })
      .map((values): AclEntity => ({ kind: 'some', values: new Set(values) })),
  );

const rules = fc
  .array(fc.record({ principals: entity(PRINCIPALS), objects: entity(USERS) }), { maxLength: 8 })
  .map((list): AclRule[] =>
    list.map((r, index) => ({
      action: 'run_tasks',
      index,
      principals: r.principals,
      objectKind: 'users',
      objects: r.objects,
    })),
  );

function aclsOf(list: readonly AclRule[], permissive: boolean): Acls {
  const empty: AclRule[] = [];
  return {
    permissive,
    rules: {
      register_frameworks: empty,
      run_tasks: orderRules(list),
      teardown_frameworks: empty,
      drain_agents: empty,
      view_frameworks: empty,
      view_tasks: empty,
      view_sandboxes: empty,
    },
  };
}

/** The reference: of the rules that apply, the most specific, then the first in the file. */
function reference(
  list: readonly AclRule[],
  permissive: boolean,
  principal: string | undefined,
  user: string | undefined,
): boolean {
  const applying = list.filter((r) => applies(r, principal, { users: user }));
  if (applying.length === 0) return permissive;
  const best = Math.max(...applying.map(specificity));
  const first = applying.filter((r) => specificity(r) === best).sort((a, b) => a.index - b.index)[0];
  return first !== undefined && ruleAllows(first);
}

const principal = fc.option(fc.constantFrom(...PRINCIPALS, 'dave'), { nil: undefined });
const user = fc.option(fc.constantFrom(...USERS, 'daemon'), { nil: undefined });

describe('ACL evaluation', () => {
  it('decides as the reference does, for any rules and any request', () => {
    fc.assert(
      fc.property(rules, fc.boolean(), principal, user, (list, permissive, p, u) => {
        expect(decide(aclsOf(list, permissive), 'run_tasks', p, { users: u }).allowed).to.equal(
          reference(list, permissive, p, u),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('falls back to permissive when no rule applies', () => {
    fc.assert(
      fc.property(fc.boolean(), principal, user, (permissive, p, u) => {
        const d = decide(aclsOf([], permissive), 'run_tasks', p, { users: u });
        expect(d).to.deep.equal({ allowed: permissive, rule: undefined });
      }),
    );
  });

  it('lets a rule naming both the principal and the user decide, wherever it is in the file', () => {
    fc.assert(
      fc.property(
        rules,
        fc.boolean(),
        fc.constantFrom(...PRINCIPALS),
        fc.constantFrom(...USERS),
        fc.nat(),
        (list, permissive, p, u, at) => {
          const exact: AclRule = {
            action: 'run_tasks',
            index: 0,
            principals: { kind: 'some', values: new Set([p]) },
            objectKind: 'users',
            objects: { kind: 'some', values: new Set([u]) },
          };
          const i = at % (list.length + 1);
          const placed = [...list.slice(0, i), exact, ...list.slice(i)].map((r, index) => ({ ...r, index }));
          // Nothing is more specific, and every such rule allows: catch-all denials listed first do not matter.
          expect(decide(aclsOf(placed, permissive), 'run_tasks', p, { users: u }).allowed).to.equal(true);
        },
      ),
    );
  });

  it('orders rules by specificity, keeping the file order among equals', () => {
    fc.assert(
      fc.property(rules, (list) => {
        const ordered = orderRules(list);
        for (let i = 1; i < ordered.length; i++) {
          const [a, b] = [ordered[i - 1]!, ordered[i]!];
          expect(specificity(a) > specificity(b) || (specificity(a) === specificity(b) && a.index < b.index)).to.equal(
            true,
          );
        }
      }),
    );
  });

  it('never allows through a rule with NONE on either side', () => {
    fc.assert(
      fc.property(rules, fc.boolean(), principal, user, (list, permissive, p, u) => {
        const d = decide(aclsOf(list, permissive), 'run_tasks', p, { users: u });
        if (d.rule && (d.rule.principals.kind === 'none' || d.rule.objects.kind === 'none'))
          expect(d.allowed).to.equal(false);
      }),
    );
  });

  it('adding a rule that does not apply changes nothing', () => {
    fc.assert(
      fc.property(rules, fc.boolean(), fc.constantFrom(...PRINCIPALS), user, (list, permissive, p, u) => {
        const before = decide(aclsOf(list, permissive), 'run_tasks', p, { users: u }).allowed;
        const stranger: AclRule = {
          action: 'run_tasks',
          index: list.length,
          principals: { kind: 'some', values: new Set(['mallory']) },
          objectKind: 'users',
          objects: { kind: 'none' },
        };
        expect(decide(aclsOf([...list, stranger], permissive), 'run_tasks', p, { users: u }).allowed).to.equal(before);
      }),
    );
  });

  it('allowsEverything agrees with deciding every user there is', () => {
    fc.assert(
      fc.property(rules, fc.boolean(), principal, (list, permissive, p) => {
        const acls = aclsOf(list, permissive);
        const every = [...USERS, 'daemon', 'anyone-else', undefined].every(
          (u) => decide(acls, 'run_tasks', p, { users: u }).allowed,
        );
        expect(allowsEverything(acls, 'run_tasks', p)).to.equal(every);
      }),
      { numRuns: 1000 },
    );
  });

  it("follows the docs' examples", () => {
    const acls = parseAcls({
      permissive: false,
      run_tasks: [
        { principals: { type: 'ANY' }, users: { values: ['nobody'] } },
        { principals: { values: ['ops'] }, users: { type: 'ANY' } },
      ],
      register_frameworks: [
        { principals: { type: 'ANY' }, roles: { type: 'NONE' } },
        { principals: { values: ['marathon'] }, roles: { values: ['web'] } },
      ],
    });
    expect(decide(acls, 'run_tasks', 'web', { users: 'nobody' }).allowed).to.equal(true);
    expect(decide(acls, 'run_tasks', 'web', { users: 'root' }).allowed).to.equal(false);
    expect(decide(acls, 'run_tasks', undefined, { users: 'nobody' }).allowed).to.equal(true);
    expect(decide(acls, 'run_tasks', 'ops', { users: 'root' }).allowed).to.equal(true);
    // The specific marathon rule wins over the catch-all NONE listed before it.
    expect(decide(acls, 'register_frameworks', 'marathon', { roles: 'web' }).allowed).to.equal(true);
    expect(decide(acls, 'register_frameworks', 'marathon', { roles: 'batch' }).allowed).to.equal(false);
    expect(decide(acls, 'register_frameworks', 'chronos', { roles: 'web' }).allowed).to.equal(false);
    expect(allowsEverything(acls, 'run_tasks', 'ops')).to.equal(true);
    expect(allowsEverything(acls, 'run_tasks', 'web')).to.equal(false);
    // No view rules and permissive false: nobody may view anything.
    expect(allowsEverything(acls, 'view_tasks', 'ops')).to.equal(false);
  });
});
