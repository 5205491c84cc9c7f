// The dependency direction of ARCHITECTURE.md as lint rules. The root eslint.config.js uses these
// blocks, and boundaries.test.ts proves they fire. A new edge between packages is added here, in
// package.json and in the tsconfig at the same time.

/** Packages may only be imported through their public entry. */
const noDeepImports = {
  group: ['@forge/*/src', '@forge/*/src/**', '@forge/*/dist', '@forge/*/dist/**', '**/packages/*/src/**', '../../*/src/**'],
  message: 'Import the package entry (e.g. "@forge/schema"), never its files.',
};

/** Libraries that sit on the schema alone. */
const onlySchema = {
  group: ['@forge/*', '!@forge/schema'],
  message: 'This library may depend on @forge/schema only (ARCHITECTURE.md: no sideways edges; only apps/cli composes packages).',
};

/** Readers (leaves) may use the schema and the small shared reader kit. */
const onlySchemaAndReaderKit = {
  group: ['@forge/*', '!@forge/schema', '!@forge/reader-kit'],
  message: 'Extractors may depend on @forge/schema and @forge/reader-kit only (ARCHITECTURE.md).',
};

/** The state database drives readers through the reader kit's contract, never a reader package. */
const onlySchemaAndReaderKitForState = {
  group: ['@forge/*', '!@forge/schema', '!@forge/reader-kit'],
  message: '@forge/state may depend on @forge/schema and @forge/reader-kit only: it drives any SessionSourceReader the CLI passes in (ARCHITECTURE.md).',
};

/** Its tests and examples drive the real readers as well. */
const stateTests = {
  group: ['@forge/*', '!@forge/schema', '!@forge/reader-kit', '!@forge/extract-claude', '!@forge/extract-pir'],
  message: "@forge/state's tests and examples may use the schema, the reader kit and the real readers only (ARCHITECTURE.md).",
};

/** Scoring is pure and sits on the schema and the reader kit's Gas Town text helpers (bead ids, beacons). */
const onlySchemaAndReaderKitForScoring = {
  group: ['@forge/*', '!@forge/schema', '!@forge/reader-kit'],
  message: '@forge/scoring may depend on @forge/schema and @forge/reader-kit only; its tests and benchmark may also use the readers (ARCHITECTURE.md).',
};

/** Scoring's tests and benchmark read real transcripts and outcomes with the readers (test dependencies only). */
const scoringTestEdges = {
  group: ['@forge/*', '!@forge/schema', '!@forge/reader-kit', '!@forge/extract-claude', '!@forge/extract-pir', '!@forge/extract-outcomes'],
  message: "@forge/scoring's tests may use the schema, the reader kit and the readers only.",
};

/** @forge/synth drives the agent programs and reads what they wrote with the pi-family reader's public API. */
const onlySchemaAndExtractPir = {
  group: ['@forge/*', '!@forge/schema', '!@forge/extract-pir'],
  message: '@forge/synth may depend on @forge/schema and @forge/extract-pir only (it reads the sessions it generates with readPiSession).',
};

/** The pi/omp extensions: the schema's entry types and the reader kit's bead id rules, nothing that reads or writes datasets. */
const onlySchemaAndReaderKitForExtensions = {
  group: ['@forge/*', '!@forge/schema', '!@forge/reader-kit'],
  message: '@forge/pi-extensions may depend on @forge/schema (types of its entries) and @forge/reader-kit (bead ids) only.',
};

/** Transform's tests read real transcripts with the real readers (dev dependencies, never the library's own code). */
const onlySchemaAndReaders = {
  group: ['@forge/*', '!@forge/schema', '!@forge/extract-claude', '!@forge/extract-pir'],
  message: "@forge/transform's tests may use the readers to build sessions from real transcripts; nothing else sideways.",
};

const noInternal = {
  group: ['@forge/*'],
  message: '@forge/schema is the bottom layer: it imports no other @forge package.',
};

/** @returns {import('eslint').Linter.RulesRecord} */
const restrict = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns: [noDeepImports, ...patterns] }],
});

/**
 * Flat-config blocks; later blocks replace a rule's options, so each repeats noDeepImports.
 * @type {import('eslint').Linter.Config[]}
 */
export const boundaryConfigs = [
  { files: ['**/*.ts', '**/*.js'], rules: restrict() },
  { files: ['packages/schema/**/*.ts'], rules: restrict(noInternal) },
  { files: ['packages/reader-kit/**/*.ts'], rules: restrict(onlySchema) },
  { files: ['packages/{extract-pir,extract-claude,extract-outcomes,extract-codex,extract-gemini,extract-opencode}/**/*.ts'], rules: restrict(onlySchemaAndReaderKit) },
  { files: ['packages/transform/**/*.ts'], rules: restrict(onlySchema) },
  { files: ['packages/eval/**/*.ts'], rules: restrict(onlySchema) },
  { files: ['packages/scoring/**/*.ts'], rules: restrict(onlySchemaAndReaderKitForScoring) },
  { files: ['packages/scoring/**/*.test.ts', 'packages/scoring/test/**/*.ts', 'packages/scoring/bench/**/*.ts'], rules: restrict(scoringTestEdges) },
  { files: ['packages/synth/**/*.ts'], rules: restrict(onlySchemaAndExtractPir) },
  { files: ['packages/pi-extensions/**/*.ts'], rules: restrict(onlySchemaAndReaderKitForExtensions) },
  { files: ['packages/transform/src/**/*.test.ts', 'packages/transform/src/test-support/**/*.ts'], rules: restrict(onlySchemaAndReaders) },
  { files: ['packages/state/**/*.ts'], rules: restrict(onlySchemaAndReaderKitForState) },
  { files: ['packages/state/**/*.test.ts', 'packages/state/**/test-support/**/*.ts', 'packages/state/examples/**/*.ts'], rules: restrict(stateTests) },
  {
    // Libraries have no side channels: only the CLI talks to the console or ends the process.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test-support/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='exit']",
          message: 'Only apps/cli may end the process.',
        },
      ],
    },
  },
  {
    // The extension entries run inside pi and omp, where stderr is the only place a failure can go.
    files: ['packages/pi-extensions/src/extensions/*.ts'],
    rules: { 'no-console': ['error', { allow: ['error'] }] },
  },
];
