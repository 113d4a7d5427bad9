import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
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
