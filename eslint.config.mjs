import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const ELECTRON_ONLY = {
  name: 'electron',
  message: 'Only src/main/index.ts, src/main/electron/** and src/preload/** may import electron.',
}
const ELECTRON_HOST = ['src/main/index.ts', 'src/main/electron/**', 'src/preload/**']
const HOSTS = ['server', 'cli', 'electron', 'hosting', 'renderer', 'preload']

/** One no-restricted-imports rule per zone; everywhere but the Electron host, electron itself is off limits too. */
function importZones(zones) {
  return zones.map(({ files, forbidden, message }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...(files.some((pattern) => ELECTRON_HOST.includes(pattern)) ? {} : { paths: [ELECTRON_ONLY] }),
          // Relative imports only: a folder name anywhere in the path of a ../ import.
          patterns: [{ regex: `^(\\.\\.?/)+(.*/)?(${forbidden.join('|')})(/|$)`, message }],
        },
      ],
    },
  }))
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.electron-native/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: reactHooks.configs.recommended.rules,
  },
  // Import zones: the core knows no host, a host does not reach into another, the renderer sees only src/shared.
  ...importZones([
    {
      files: ['src/main/core/**/*.ts'],
      forbidden: HOSTS,
      message: 'The core runs under every host and imports none of them.',
    },
    // The core's layers: wiring → domains → platform. Only the hosts import the wiring (the composition root).
    {
      files: ['src/main/core/domains/**/*.ts'],
      forbidden: [...HOSTS, 'wiring'],
      message: 'A domain gets its collaborators from the wiring (as narrow interfaces) and never imports it.',
    },
    {
      files: ['src/main/core/platform/**/*.ts'],
      forbidden: [...HOSTS, 'domains', 'wiring'],
      message: 'The platform (database, store, migrations, backups, sync) knows no domain and no wiring.',
    },
    {
      files: ['src/main/server/**/*.ts'],
      forbidden: ['cli', 'electron', 'renderer'],
      message: 'Browser mode is a host of its own; share code through src/main/core or src/main/hosting.',
    },
    {
      files: ['src/main/cli/**/*.ts'],
      forbidden: ['server', 'electron', 'renderer'],
      message: 'The CLI is a host of its own; share code through src/main/core or src/main/hosting.',
    },
    {
      files: ['src/main/electron/**/*.ts', 'src/main/index.ts'],
      forbidden: ['server', 'cli', 'renderer'],
      message: 'The Electron host shares code with other hosts only through src/main/core or src/main/hosting.',
    },
    {
      files: ['src/main/security/**/*.ts'],
      forbidden: ['server', 'cli', 'renderer'],
      message: 'The security checks are pure functions, testable under plain Node.',
    },
    {
      files: ['src/main/hosting/**/*.ts'],
      forbidden: ['server', 'cli', 'electron', 'renderer'],
      message: 'Shared hosting helpers import no host.',
    },
    {
      files: ['src/renderer/**/*.{ts,tsx}'],
      forbidden: ['main', 'preload'],
      message: 'The renderer talks to the core only through window.api and the types in src/shared.',
    },
    {
      files: ['src/shared/**/*.ts'],
      forbidden: ['main', 'renderer', 'preload'],
      message: 'src/shared is the contract every side imports; it imports none of them.',
    },
  ]),
  {
    // A handler file turns a channel into a service call; shared logic lives in the service, so handler files are leaves.
    files: ['src/main/**/*.ts'],
    ignores: [
      'src/main/core/wiring/handlers.ts',
      'src/main/core/wiring/app.ts',
      'src/main/core/platform/calls/refusal.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportDeclaration[source.value=/(^|\\/)handlers$/]',
          message:
            'Handler files are leaves: import the service they call, not a handler file (only the core handler table composes them).',
        },
        {
          // Errors in one place: the core refuses in words, and dispatch alone turns a refusal into the contract's error.
          selector: "ImportSpecifier[imported.name='ApiError']",
          message: 'Throw a Refusal (or a domain error that extends it); dispatch turns it into the contract error.',
        },
      ],
    },
  },
  {
    files: ['**/*.{cjs,mjs,js}'],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
)
