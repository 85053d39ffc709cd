/**
 * Lint for one thing only: promises nobody waits for. A rejected promise with no handler ends the
 * process as soon as any library installs a handler that re-throws it, so every promise must be
 * awaited or carry a .catch that logs. Type-aware, since only the type checker knows what returns
 * a promise. Not a style guide: no other rules are on.
 */
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'test-results/**', 'bench/results/**', 'docs/**', 'e2e/fixtures/**'] },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        // the .mjs scripts are not in tsconfig.json; they get a default project of their own
        projectService: {
          allowDefaultProject: ['scripts/*.mjs', 'scripts/assets/*.mjs', 'bench/realtime/*.mjs', 'server/analysis/*.mjs', 'eslint.config.js'],
          // a handful of small scripts; the default of 8 is a guard against globs that match a whole tree
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
