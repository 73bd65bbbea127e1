// Mesocosm's mocha reporter: spec-like progress, the failures with their
// stacks, and as the very last line `tests: N passed, M failed[, K skipped]`,
// which .ci/run and people grep for.
import Mocha from 'mocha';

const { Base } = Mocha.reporters;
const { EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } =
  Mocha.Runner.constants;

export default class MesocosmReporter extends Base {
  constructor(runner, options) {
    super(runner, options);
    this.passed = 0;
    this.failed = [];
    this.skipped = 0;
    let depth = 0;
    const out = (line) => process.stdout.write(`${line}\n`);
    const indent = () => '  '.repeat(depth);

    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (suite.root) return;
      depth++;
      out(`${indent()}${suite.title}`);
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      if (!suite.root) depth--;
    });
    runner.on(EVENT_TEST_PASS, (test) => {
      this.passed++;
      const slow = test.duration >= test.slow() ? ` (${test.duration} ms)` : '';
      out(`${indent()}  ✓ ${test.title}${slow}`);
    });
    runner.on(EVENT_TEST_PENDING, (test) => {
      this.skipped++;
      out(`${indent()}  - ${test.title} (skipped)`);
    });
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      this.failed.push({ title: test.fullTitle(), err });
      out(`${indent()}  ✗ ${this.failed.length}) ${test.title}`);
    });
    runner.once(EVENT_RUN_END, () => {
      this.failed.forEach(({ title, err }, i) => {
        out('');
        out(`${i + 1}) ${title}`);
        const text = err && err.stack ? err.stack : String(err && err.message ? err.message : err);
        out(
          text
            .split('\n')
            .map((l) => `   ${l}`)
            .join('\n'),
        );
        if (err && err.showDiff !== false && err.actual !== undefined && err.expected !== undefined) {
          const show = (v) => (typeof v === 'string' ? v : JSON.stringify(v)).split('\n').join('\n             ');
          out(`   expected: ${show(err.expected)}`);
          out(`   actual:   ${show(err.actual)}`);
        }
      });
      if (this.passed + this.failed.length === 0) out('\nno tests ran');
      const skipped = this.skipped > 0 ? `, ${this.skipped} skipped` : '';
      out('');
      out(`tests: ${this.passed} passed, ${this.failed.length} failed${skipped}`);
    });
  }
}
