// Lint: typescript-eslint over every package; purity of the cores is checked here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const pureFolders = [
  'packages/master/src/allocator/**/*.ts',
  'packages/master/src/offers/**/*.ts',
  'packages/framework-sdk/src/matching/**/*.ts',
  'packages/framework-sdk/src/http-acl/**/*.ts',
  // The Scheduler's decisions; scheduler.ts is the driver glue around them.
  'packages/framework-sdk/src/scheduler/scheduler-core.ts',
  'packages/framework-sdk/src/scheduler/launched-book.ts',
  'packages/framework-sdk/src/scheduler/offer-interest.ts',
  'packages/framework-sdk/src/scheduler/offer-round.ts',
  'packages/framework-sdk/src/scheduler/offer-stats.ts',
  'packages/framework-sdk/src/scheduler/types.ts',
  'packages/protocol/src/resources.ts',
  'packages/protocol/src/attributes.ts',
  'packages/protocol/src/validate.ts',
  'packages/protocol/src/duration.ts',
  'packages/agent/src/health/health-state.ts',
  'packages/agent/src/health/health-spec.ts',
  'packages/agent/src/health/health-monitor.ts',
  'packages/agent/src/fetcher/fetch-plan.ts',
  'packages/agent/src/docker/image-reference.ts',
  'packages/agent/src/executor-api/executor-token.ts',
];
const frameworkPureFolders = [
  'packages/marathon/src/planner/**/*.ts',
  'packages/marathon/src/model/**/*.ts',
  'packages/chronos/src/schedule/**/*.ts',
  'packages/chronos/src/model/**/*.ts',
];
const ioModules = ['node:*', '@grpc/*', 'zookeeper', 'dockerode', 'ws', 'fs', 'net', 'http', 'child_process'];
const ambient = [
  { object: 'Date', property: 'now', message: 'Take a Clock.' },
  { object: 'Math', property: 'random', message: 'Take randomness as input.' },
];

// Marathon and Chronos are the SDK's first users: they reach the cluster only through it.
const sdkOnly = ['@mesocosm/protocol', '@mesocosm/protocol/*', '@mesocosm/master', '@mesocosm/agent', '@mesocosm/cli'];
const frameworkFolders = ['packages/marathon/src/**/*.ts', 'packages/chronos/src/**/*.ts'];

export default tseslint.config(
  { ignores: ['**/lib/**', '**/node_modules/**', '**/generated/**', 'packages/protocol/scripts/**', 'docs/api/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The web UI's .tsx get the same typed rules as every .ts.
    files: ['**/*.ts', 'packages/master/ui/**/*.tsx'],
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'Do not commit focused tests.' },
        { object: 'describe', property: 'only', message: 'Do not commit focused tests.' },
      ],
    },
  },
  {
    files: frameworkFolders,
    rules: { 'no-restricted-imports': ['error', { patterns: sdkOnly }] },
  },
  {
    // Pure cores: no I/O, no ambient time or randomness; they take a clock and inputs.
    files: pureFolders,
    rules: {
      'no-restricted-imports': ['error', { patterns: ioModules }],
      'no-restricted-properties': ['error', ...ambient],
    },
  },
  {
    files: frameworkPureFolders,
    rules: {
      'no-restricted-imports': ['error', { patterns: [...ioModules, ...sdkOnly] }],
      'no-restricted-properties': ['error', ...ambient],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
);
