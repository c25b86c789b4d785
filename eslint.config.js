// Lint rules: the recommended sets, plus the few that keep personal data out of logs and the cores pure.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'dist/**', 'coverage/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The CLI, benchmarks and scripts talk to a person on the terminal.
    files: ['src/cli.ts', 'src/cli/**', 'src/jobs/cli-run.ts', 'src/demo/cli.ts', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Pure cores: no I/O, no clock, nothing from the shells.
    files: ['src/rent/**', 'src/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../db/*',
                '../twilio/*',
                '../slack/*',
                '../jobs/*',
                '../imports/*',
                '../conversations/*',
                '../cases/*',
                '../http/*',
                '../lib/logger*',
                'postgres',
                'node:fs',
                'node:fs/promises',
              ],
              message: 'The pure cores take everything as arguments.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Pass `now` in; the cores never read the clock.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Pass `now` in; the cores never read the clock.',
        },
      ],
    },
  },
  // Last: turns off any rule that would argue with Prettier's layout (Prettier owns formatting).
  prettier,
);
