// Property: whatever valid app a client writes, rendering and parsing again gives the same app.

import { expect } from 'chai';
import fc from 'fast-check';
import { parseApp, renderApp } from '../../src/index.js';

const segment = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const env = fc.dictionary(fc.stringMatching(/^[A-Z_]{1,8}$/), fc.string({ maxLength: 10 }), { maxKeys: 3 });
const constraint = fc.oneof(
  fc.constant(['hostname', 'UNIQUE']),
  fc.tuple(fc.constantFrom('rack', 'zone'), fc.constant('CLUSTER'), segment),
  fc.tuple(fc.constantFrom('rack', 'zone'), fc.constant('GROUP_BY')),
  fc.tuple(fc.constant('hostname'), fc.constant('MAX_PER'), fc.integer({ min: 1, max: 5 }).map(String)),
  fc.tuple(fc.constant('zone'), fc.constantFrom('LIKE', 'UNLIKE'), fc.constantFrom('a.*', 'b|c')),
);
const hostApp = fc.record({
  id: fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')),
  // A blank cmd is refused (422), so the property draws non-blank ones.
  cmd: fc.string({ minLength: 2, maxLength: 20 }).filter((c) => c.trim() !== ''),
  instances: fc.integer({ min: 0, max: 20 }),
  cpus: fc.double({ min: 0, max: 8, noNaN: true }),
  mem: fc.integer({ min: 0, max: 4096 }),
  env,
  labels: env,
  constraints: fc.array(constraint, { maxLength: 3 }),
  portDefinitions: fc.array(fc.record({ port: fc.constant(0), protocol: fc.constantFrom('tcp', 'udp') }), {
    minLength: 1,
    maxLength: 3,
  }),
  healthChecks: fc.array(
    fc.record({
      protocol: fc.constantFrom('HTTP', 'TCP'),
      portIndex: fc.constant(0),
      intervalSeconds: fc.integer({ min: 30, max: 90 }),
    }),
    { maxLength: 1 },
  ),
  upgradeStrategy: fc.record({
    minimumHealthCapacity: fc.double({ min: 0, max: 1, noNaN: true }),
    maximumOverCapacity: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  killSelection: fc.constantFrom('YOUNGEST_FIRST', 'OLDEST_FIRST'),
  someUnknownField: fc.option(fc.jsonValue(), { nil: undefined }),
});
const dockerApp = fc.record({
  id: segment,
  instances: fc.integer({ min: 0, max: 5 }),
  container: fc.record({
    type: fc.constant('DOCKER'),
    docker: fc.record({ image: segment, network: fc.constantFrom('BRIDGE', 'USER') }),
    portMappings: fc.array(fc.record({ containerPort: fc.integer({ min: 1, max: 65535 }), hostPort: fc.constant(0) }), {
      maxLength: 2,
    }),
  }),
});

describe('app JSON round trip (property)', () => {
  it('parse(render(parse(json))) equals parse(json)', () => {
    fc.assert(
      fc.property(fc.oneof(hostApp, dockerApp), (json) => {
        const app = parseApp(json);
        expect(parseApp(renderApp(app))).to.deep.equal(app);
      }),
      { numRuns: 300 },
    );
  });
});
