// Lint: the rules STYLE.md asks a machine to hold — no floating or misused promises (tests too),
// and imports that flow one way between the server's layers.
import tseslint from 'typescript-eslint';

const layer = (from, banned, why) => ({
  files: [`packages/server/src/${from}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', { patterns: banned.map((b) => ({ group: [`**/${b}/**`, `../${b}/*`, `../../${b}/*`], message: why })) }],
  },
});

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'sdk/typescript/src/generated/**', '.tmp/**', 'sdk/python/**', 'bench/**/*.js'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: { allowDefaultProject: ['examples/*.ts', 'sdk/typescript/vitest.config.ts'] }, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='forEach'] > ArrowFunctionExpression[async=true]", message: 'async callbacks in forEach are not awaited; use for…of' }],
    },
  },
  // STYLE → Layout: core ← providers, store, telephony ← engine, calls ← api, webhooks ← main.ts.
  layer('core', ['store', 'api', 'calls', 'telephony', 'engine', 'providers', 'webhooks', 'cli', 'config'], 'core does no I/O and depends on nothing above it'),
  layer('store', ['api', 'calls', 'telephony', 'engine', 'providers', 'webhooks', 'cli'], 'the store knows no layer above it'),
  layer('telephony', ['store', 'api', 'calls', 'engine', 'webhooks', 'cli'], 'telephony is a carrier adapter: routing lives in calls/'),
  layer('providers', ['store', 'api', 'calls', 'telephony', 'engine', 'webhooks', 'cli'], 'providers are ports and adapters only'),
  layer('engine', ['store', 'api', 'webhooks', 'cli', 'telephony/sip', 'telephony/twilio', 'telephony/web', 'providers/deepgram', 'providers/openai', 'providers/local'], 'the engine uses ports, never an implementation'),
  layer('calls', ['api', 'cli'], 'calls sit below the API'),
  layer('api', ['cli'], 'the API does not know the CLI'),
);
