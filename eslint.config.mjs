// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.data/**', 'coverage/**', 'devstack/ferretdb/**', 'test/support/*.js', 'jest.config.js'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Workflow code must stay deterministic and replayable: no I/O, no Node built-ins, no database or
    // Dropbox code. It may use the workflow SDK, pure domain values, and activity types.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process'], message: 'Node built-ins are not deterministic; use an activity.' },
            { group: ['mongodb', 'dropbox', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Workflows must not do I/O; use an activity.' },
            { group: ['**/src/store/**', '**/src/dropbox/**', '**/src/services/**', '**/src/devstack/**', '**/src/worker/**', '**/src/config'], message: 'Workflows may import only src/domain.' },
          ],
        },
      ],
    },
  },
  {
    // Arrows point inward: src/ never depends on workflows/ or activities/, except the worker's
    // composition root, which wires the activities.
    files: ['src/**/*.ts'],
    ignores: ['src/worker/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/workflows', '**/workflows/**', '**/activities', '**/activities/**'], message: 'src/ must not depend on workflows/ or activities/.' }] }],
    },
  },
);
