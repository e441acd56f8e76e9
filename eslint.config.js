// Lint config: typescript-eslint's recommended set, plus the pipeline's import boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/.work/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The command's loader is CommonJS on purpose (no ES module loader at start-up).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // detector, filters, findings and reporters are pure: no file system, no git, no sources.
    files: ['src/detector/**', 'src/filters/**', 'src/findings/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: ['node:fs', 'fs', 'node:fs/promises', 'node:child_process', 'child_process', 'simple-git'],
        // Types (Fragment, CommitInfo) may be shared; code from sources may not.
        patterns: [{ group: ['**/sources/**'], allowTypeImports: true }],
      }],
    },
  },
  {
    // Reporters get findings as data: no I/O, and no reaching back into the detector.
    files: ['src/reporters/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: ['node:fs', 'fs', 'node:fs/promises', 'node:child_process', 'child_process', 'simple-git'],
        patterns: [{ group: ['**/sources/**', '**/detector/**'], allowTypeImports: true }],
      }],
    },
  },
);
