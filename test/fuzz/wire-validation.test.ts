// Properties of wire validation (fast-check, seeded): random and mutated
// protos, decoded exactly as the servers decode them, go through every
// validator of @mesocosm/protocol; each either passes or throws a
// ValidationError (LimitExceededError for a bound) naming a field, never
// anything else. And a field over its bound is always refused, naming that
// field and the bound.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  LimitExceededError,
  MAX_ID_LENGTH,
  MAX_LABELS,
  MAX_NAME_LENGTH,
  MAX_TASKS_PER_ACCEPT,
  MAX_TEXT_LENGTH,
  OperationType,
  ValidationError,
  v1,
  validateAgentCallBounds,
  validateAgentInfo,
  validateCallBounds,
  validateExecutorCallBounds,
  validateFrameworkInfo,
  validateTaskInfo,
  type AgentCall,
  type Call,
  type ExecutorCall,
  type ICall,
  type ITaskInfo,
} from '@mesocosm/protocol';
import { fuzzAgentCall, fuzzCall, fuzzExecutorCall, validTask, type Known } from './support/call-builders.js';
import { FUZZ_SEED, Rand } from './support/rand.js';

const RUNS = { seed: FUZZ_SEED, numRuns: 400 };

const KNOWN: Known = {
  frameworkId: 'fw-1',
  streamId: 'stream-1',
  offerIds: ['offer-1'],
  agentIds: ['agent-1'],
  taskIds: ['task-1'],
  uuids: [new Uint8Array(16)],
};

/** Runs `fn`; fails unless it passes or throws a ValidationError with a field. */
function onlyTyped(what: string, fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err, `${what}: ${String(err)}`).to.be.instanceOf(ValidationError);
    expect((err as ValidationError).field, what)
      .to.be.a('string')
      .and.not.equal('');
  }
}

/** `message` as a server sees it: encoded, then decoded; undefined when it cannot be encoded. */
function roundTrip<T>(
  codec: { encode(m: T): { finish(): Uint8Array }; decode(b: Uint8Array): T },
  message: T,
): T | undefined {
  let bytes: Uint8Array;
  try {
    bytes = codec.encode(message).finish();
  } catch {
    return undefined;
  }
  try {
    return codec.decode(bytes);
  } catch {
    return undefined; // e.g. a lone surrogate: gRPC refuses the message whole
  }
}

describe('fuzz: wire validation properties', () => {
  it('random and mutated scheduler calls are accepted or refused with a typed error, nothing else', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const call = roundTrip(v1.Call, fuzzCall(new Rand(seed), KNOWN, 1) as Call);
        if (!call) return;
        onlyTyped('validateCallBounds', () => validateCallBounds(call));
        if (call.subscribe)
          onlyTyped('validateFrameworkInfo', () => validateFrameworkInfo(call.subscribe?.frameworkInfo));
        for (const op of call.accept?.operations ?? [])
          for (const [i, t] of (op.launch?.taskInfos ?? []).entries())
            onlyTyped('validateTaskInfo', () => validateTaskInfo(t, `task_infos[${i}]`));
      }),
      RUNS,
    );
  });

  it('random and mutated agent and executor calls are accepted or refused with a typed error, nothing else', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rand = new Rand(seed);
        const call = roundTrip(
          v1.AgentCall,
          fuzzAgentCall(rand, KNOWN, 1, rand.chance(0.5) ? 'agent-1' : undefined) as AgentCall,
        );
        if (call) {
          onlyTyped('validateAgentCallBounds', () => validateAgentCallBounds(call));
          if (call.register) onlyTyped('validateAgentInfo', () => validateAgentInfo(call.register?.agentInfo));
        }
        const exec = roundTrip(v1.ExecutorCall, fuzzExecutorCall(rand, KNOWN, 1) as ExecutorCall);
        if (exec) onlyTyped('validateExecutorCallBounds', () => validateExecutorCallBounds(exec));
      }),
      RUNS,
    );
  });

  it('random bytes that decode as a Call are accepted or refused with a typed error, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        let call: Call;
        try {
          call = v1.Call.decode(bytes);
        } catch {
          return;
        }
        onlyTyped('validateCallBounds', () => validateCallBounds(call));
        onlyTyped('validateFrameworkInfo', () => validateFrameworkInfo(call.subscribe?.frameworkInfo));
      }),
      { seed: FUZZ_SEED, numRuns: 2000 },
    );
  });

  it('a field over its bound is refused with a LimitExceededError naming the field and the bound', () => {
    const cases: [string, number, (task: ITaskInfo, over: string) => void][] = [
      ['t.task_id', MAX_ID_LENGTH, (t, s) => (t.taskId = { value: s })],
      ['t.name', MAX_NAME_LENGTH, (t, s) => (t.name = s)],
      ['t.command.value', MAX_TEXT_LENGTH, (t, s) => (t.command = { shell: true, value: s })],
      [
        't.command.arguments[1]',
        MAX_TEXT_LENGTH,
        (t, s) => (t.command = { value: '/bin/echo', arguments: ['echo', s] }),
      ],
      [
        't.command.environment.variables[0].value',
        MAX_TEXT_LENGTH,
        (t, s) => (t.command = { value: 'x', environment: { variables: [{ name: 'V', value: s }] } }),
      ],
      ['t.labels.labels[0].value', MAX_TEXT_LENGTH, (t, s) => (t.labels = { labels: [{ key: 'k', value: s }] })],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.integer({ min: 1, max: 100 }), ([field, limit, set], extra) => {
        const task = validTask('t1', 'a1');
        set(task, 'y'.repeat(limit + extra));
        try {
          validateTaskInfo(task, 't');
          expect.fail(`${field} over ${limit} passed`);
        } catch (err) {
          expect(err).to.be.instanceOf(LimitExceededError);
          const e = err as LimitExceededError;
          expect(e.field).to.equal(field);
          expect(e.limit).to.equal(limit);
          expect(e.actual).to.equal(limit + extra);
          expect(e.message).to.include(String(limit));
        }
        // At the bound itself, the same field passes.
        set(task, 'y'.repeat(limit));
        validateTaskInfo(task, 't');
      }),
      { seed: FUZZ_SEED, numRuns: 60 },
    );
  });

  it('counts over their bounds are refused: labels, tasks per ACCEPT', () => {
    const labelled = validTask('t1', 'a1');
    labelled.labels = { labels: Array.from({ length: MAX_LABELS + 1 }, (_, i) => ({ key: `k${i}`, value: 'v' })) };
    expect(() => validateTaskInfo(labelled, 't'))
      .to.throw(LimitExceededError)
      .with.property('field', 't.labels.labels');
    const task = validTask('t', 'a1');
    const accept: ICall = {
      accept: {
        offerIds: [{ value: 'o1' }],
        operations: [
          {
            type: OperationType.LAUNCH,
            launch: { taskInfos: Array.from({ length: MAX_TASKS_PER_ACCEPT + 1 }, () => task) },
          },
        ],
      },
    };
    expect(() => validateCallBounds(accept)).to.throw(
      LimitExceededError,
      new RegExp(`at most ${MAX_TASKS_PER_ACCEPT}`),
    );
  });
});
