// ESLint 9 flat config. `npm run lint` runs it with --max-warnings 0, so every rule
// here is effectively an error.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

import coffer from './build/eslint/coffer-layers.js';

const root = import.meta.dirname;

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const JS_FILES = ['**/*.js', '**/*.mjs', '**/*.cjs'];

// Code that may write to stdout/stderr directly: the CLI's entry and output modules,
// scripts, benchmarks and tests. Everything else is library code and must report
// through return values and errors.
const CONSOLE_ALLOWED = [
  'electron/cli/main.ts',
  'electron/cli/**/output*.ts',
  'sync-server/main.ts',
  'sync-server/cli-output.ts',
  'build/**',
  'bench/**',
  'renderer/e2e/**',
  '**/*.test.ts',
  '**/*.test.tsx',
  '*.config.{js,mjs,ts}',
];

export default defineConfig([
  // Mirrors .gitignore: build output, reports and local benchmark data.
  globalIgnores([
    'dist/',
    'out/',
    'coverage/',
    'bench/results.json',
    'bench/.data/',
    'test-results/',
    'playwright-report/',
  ]),

  js.configs.recommended,

  {
    name: 'coffer/typescript',
    files: TS_FILES,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    rules: {
      // An async implementation of an async interface (a KeyStore kept in memory, say)
      // often has nothing to await; `async` is still right there, because it turns a
      // throw into a rejection the caller expects. no-floating-promises and
      // no-misused-promises catch the real async mistakes.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // `import { z }` takes Zod's whole namespace object, so esbuild keeps all of it (every
      // locale's messages, the JSON Schema converters): 750 KB of a 1.9 MB CLI bundle that
      // each `coffer` process compiled. `import * as z` lets the bundle keep what is used.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='zod'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message: "Import Zod as a namespace: import * as z from 'zod'.",
        },
      ],
    },
  },

  {
    name: 'coffer/javascript',
    files: JS_FILES,
    languageOptions: { globals: globals.node },
  },

  {
    name: 'coffer/layers',
    files: [...TS_FILES, ...JS_FILES],
    plugins: { coffer },
    rules: {
      'coffer/layer-imports': ['error', { root }],
      'no-console': 'error',
    },
  },

  {
    name: 'coffer/console-allowed',
    files: CONSOLE_ALLOWED,
    rules: { 'no-console': 'off' },
  },
]);
