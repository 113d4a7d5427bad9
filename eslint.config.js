import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import pluginVue from 'eslint-plugin-vue';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    // <script setup lang="ts"> in single-file components is parsed by typescript-eslint.
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // The workbench window runs in a browser (Chromium / Electron's sandboxed renderer).
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'node:*', 'fs', 'path', 'child_process', 'better-sqlite3', 'ws'],
              message:
                'The renderer talks to main/ only through the API client (no Node, no Electron).',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine is pure TypeScript: no Electron, no SQLite, no direct file or process I/O.
    files: ['main/engine/**/*.ts'],
    ignores: ['main/engine/trace/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'electron',
                'better-sqlite3',
                'node:fs',
                'fs',
                'node:fs/promises',
                'node:child_process',
              ],
              message: 'The simulation engine does no I/O and imports neither Electron nor SQLite.',
            },
          ],
        },
      ],
    },
  },
);
