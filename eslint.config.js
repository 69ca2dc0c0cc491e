// ESLint for the TypeScript sources, tests and benchmarks (type-aware, through tsconfig.test.json,
// which covers all three) and for the plain JavaScript around them.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ENVIRONMENT_MESSAGE = 'Only src/config/load.ts reads the environment: add a setting there and pass the value down.';

export default defineConfig(
  {
    ignores: ['dist/', 'dist-*/', 'node_modules/', 'test-output/', 'data/', 'deploy/tutor/build/', 'test/fixtures/'],
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // node:test's describe/it return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      // SkipEventError is deliberately not an Error (no stack trace per skipped event); Stop is the
      // JSON locator's own early exit. A caught `unknown` may be thrown on as it came.
      '@typescript-eslint/only-throw-error': [
        'error',
        {
          allow: [
            { from: 'file', name: 'SkipEventError', path: 'src/core/errors.ts' },
            { from: 'file', name: 'Stop', path: 'src/admin/ui/json-location.ts' },
          ],
          allowThrowingUnknown: true,
        },
      ],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // SafeHtml renders itself through toString: that is how the admin page composes markup.
      '@typescript-eslint/restrict-template-expressions': ['error', { allow: [{ from: 'file', name: 'SafeHtml', path: 'src/admin/ui/html.ts' }] }],
      // Async functions often implement a Promise-returning port without needing an await.
      '@typescript-eslint/require-await': 'off',
      // It also flags Promise.all over arrays that mix promises with plain values, which is valid.
      '@typescript-eslint/await-thenable': 'off',
      // String() of values read from JSON, database rows and arguments is the text wanted.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // The admin page's browser script has its own project: the DOM types, no Node.
    files: ['src/admin/ui/browser/**/*.ts'],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { project: './tsconfig.browser.json', tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['src/**/*.test.ts', 'test/**/*.ts'],
    rules: {
      // Tests read parsed JSON answers loosely typed and check them with assert.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Tests hand over methods of fakes and of kysely/kafkajs objects that do not use `this`.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['src/sources/kafka/consumer.ts'],
    rules: {
      // kafkajs hands heartbeat, resolveOffset, isRunning and isStale over as closures, not methods.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['src/queue/sqlite/statements.ts'],
    rules: {
      // better-sqlite3's Statement<{}> is its type for a statement without named parameters.
      '@typescript-eslint/no-empty-object-type': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/config/load.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: ENVIRONMENT_MESSAGE }],
      // no-restricted-properties also sees `const { env } = process`; this catches the import.
      'no-restricted-syntax': [
        'error',
        { selector: "ImportSpecifier[imported.name='env'][parent.source.value=/^(node:)?process$/]", message: ENVIRONMENT_MESSAGE },
      ],
    },
  },
);
