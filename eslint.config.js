import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  // .ncc-licenses-*: scripts/package.mjs's scratch entry, which may exist while lint runs (test.sh);
  // .bench: the benchmarks' generated data and scratch files (git-ignored).
  {
    ignores: [
      'dist/',
      'node_modules/',
      '.venv/',
      'coverage/',
      'training-container/',
      '.ncc-licenses-*/',
      '.bench/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['src/**', 'scripts/**'],
    rules: {
      // f(...xs) puts every element on the stack: an unbounded array (a label row, nc classes)
      // overflows it ("Maximum call stack size exceeded"). Loop, or pass the array itself.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression > SpreadElement, NewExpression > SpreadElement',
          message:
            'No spread arguments: an unbounded array overflows the call stack. Use a loop or pass the array.',
        },
      ],
    },
  },
  { files: ['__tests__/**', 'scripts/**'], rules: { 'no-console': 'off' } },
);
