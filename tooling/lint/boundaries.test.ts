import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundaryConfigs } from './boundaries.js';

// The same rule blocks the root config uses, without type information (boundaries need none).
const eslint = new ESLint({
  cwd: '/repo',
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaryConfigs],
});

async function importErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `/repo/${filePath}` });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe('boundary rules', () => {
  it('should reject a test in an extractor that imports the transform package', async () => {
    const errors = await importErrors(
      'packages/extract-pir/src/read-pi-session.test.ts',
      "import { emitShareGpt } from '@forge/transform';\nexport const x = emitShareGpt;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/no-restricted-imports: .*Extractors may depend on @forge\/schema and @forge\/reader-kit only/);
  });

  it.each(['extract-codex', 'extract-gemini', 'extract-opencode'])('should keep the %s reader a leaf: no other reader, no transform', async (name) => {
    const errors = await importErrors(`packages/${name}/src/read.ts`, "import { readPiSession } from '@forge/extract-pir';\nexport const x = readPiSession;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Extractors may depend on @forge\/schema and @forge\/reader-kit only/);
  });

  it('should let an extractor import the schema and the reader kit', async () => {
    const errors = await importErrors(
      'packages/extract-claude/src/read.ts',
      "import { parseSession } from '@forge/schema';\nimport { readJsonLines } from '@forge/reader-kit';\nexport const x = [parseSession, readJsonLines];\n",
    );
    expect(errors).toEqual([]);
  });

  it('should reject any @forge import inside the schema package', async () => {
    const errors = await importErrors('packages/schema/src/session.ts', "import { readJsonLines } from '@forge/reader-kit';\nexport const x = readJsonLines;\n");
    expect(errors.join('\n')).toMatch(/@forge\/schema is the bottom layer/);
  });

  it('should reject sideways edges between libraries', async () => {
    const errors = await importErrors('packages/transform/src/emit.ts', "import { readPiSession } from '@forge/extract-pir';\nexport const x = readPiSession;\n");
    expect(errors.join('\n')).toMatch(/may depend on @forge\/schema only/);
  });

  it('should keep the state database on the reader contract: no reader package, no transform', async () => {
    const reader = await importErrors('packages/state/src/collect-sessions.ts', "import { claudeCodeSource } from '@forge/extract-claude';\nexport const x = claudeCodeSource;\n");
    expect(reader.join('\n')).toMatch(/@forge\/state may depend on @forge\/schema and @forge\/reader-kit only/);
    const transform = await importErrors('packages/state/src/state-store.ts', "import { writeDataset } from '@forge/transform';\nexport const x = writeDataset;\n");
    expect(transform.join('\n')).toMatch(/@forge\/state may depend on @forge\/schema and @forge\/reader-kit only/);
    expect(await importErrors('packages/state/src/collect-sessions.ts', "import { SessionFold } from '@forge/reader-kit';\nimport { ForgeError } from '@forge/schema';\nexport const x = [SessionFold, ForgeError];\n")).toEqual([]);
  });

  it("should let the state database's tests drive the real readers, and nothing more", async () => {
    expect(await importErrors('packages/state/src/collect-sessions.test.ts', "import { claudeCodeSource } from '@forge/extract-claude';\nimport { piFamilySource } from '@forge/extract-pir';\nexport const x = [claudeCodeSource, piFamilySource];\n")).toEqual([]);
    const transform = await importErrors('packages/state/src/collect-sessions.test.ts', "import { writeDataset } from '@forge/transform';\nexport const x = writeDataset;\n");
    expect(transform.join('\n')).toMatch(/tests and examples may use the schema, the reader kit and the real readers only/);
  });

  it('should let @forge/synth read sessions with the pi reader but not use the transform', async () => {
    expect(await importErrors('packages/synth/src/run.ts', "import { readPiSession } from '@forge/extract-pir';\nexport const x = readPiSession;\n")).toEqual([]);
    const errors = await importErrors('packages/synth/src/run.ts', "import { emitShareGpt } from '@forge/transform';\nexport const x = emitShareGpt;\n");
    expect(errors.join('\n')).toMatch(/@forge\/synth may depend on @forge\/schema and @forge\/extract-pir only/);
  });

  it('should keep the pi extensions on the schema and the reader kit', async () => {
    const source = "import { findBeadIds } from '@forge/reader-kit';\nimport { readPiSession } from '@forge/extract-pir';\nexport const x = [findBeadIds, readPiSession];\n";
    const errors = await importErrors('packages/pi-extensions/src/outcome-tagging.ts', source);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/@forge\/pi-extensions may depend on @forge\/schema/);
  });

  it('should let only the pi extension entries write errors to stderr', async () => {
    const source = "console.error('x');\nconsole.log('y');\n";
    expect((await importErrors('packages/pi-extensions/src/extensions/forge-outcome-tagging.ts', source)).filter((error) => error.startsWith('no-console'))).toHaveLength(1);
    expect((await importErrors('packages/pi-extensions/src/outcome-tagging.ts', source)).filter((error) => error.startsWith('no-console'))).toHaveLength(2);
  });

  it("should let transform's tests read real transcripts with the readers, and its library code not", async () => {
    const source = "import { extractPiSessions } from '@forge/extract-pir';\nimport { extractClaudeSessions } from '@forge/extract-claude';\nexport const x = [extractPiSessions, extractClaudeSessions];\n";
    expect(await importErrors('packages/transform/src/redact/planted.test.ts', source)).toEqual([]);
    expect(await importErrors('packages/transform/src/test-support/transcripts.ts', source)).toEqual([]);
    expect((await importErrors('packages/transform/src/redact/redactor.ts', source)).join('\n')).toMatch(/may depend on @forge\/schema only/);
  });

  it('should reject deep imports everywhere, the CLI included', async () => {
    const errors = await importErrors('apps/cli/src/main.ts', "import { x } from '@forge/schema/src/session';\nexport const y = x;\n");
    expect(errors.join('\n')).toMatch(/Import the package entry/);
  });

  it('should let the CLI compose every package', async () => {
    const errors = await importErrors(
      'apps/cli/src/main.ts',
      "import { readPiSession } from '@forge/extract-pir';\nimport { emitShareGpt } from '@forge/transform';\nimport { collectSessions } from '@forge/state';\nexport const x = [readPiSession, emitShareGpt, collectSessions];\n",
    );
    expect(errors).toEqual([]);
  });

  it('should forbid console and process.exit in library sources but not in their tests', async () => {
    const source = "console.log('x');\nprocess.exit(1);\n";
    const inLibrary = await importErrors('packages/transform/src/emit.ts', source);
    expect(inLibrary.some((error) => error.startsWith('no-console'))).toBe(true);
    expect(inLibrary.some((error) => error.startsWith('no-restricted-syntax'))).toBe(true);
    expect(await importErrors('packages/transform/src/emit.test.ts', source)).toEqual([]);
  });

  it('should let the outcomes reader use the schema and the reader kit, and nothing else', async () => {
    expect(await importErrors('packages/extract-outcomes/src/read.ts', "import { readJsonLines } from '@forge/reader-kit';\nimport { beadSchema } from '@forge/schema';\nexport const x = [readJsonLines, beadSchema];\n")).toEqual([]);
    const errors = await importErrors('packages/extract-outcomes/src/read.ts', "import { scoreSession } from '@forge/scoring';\nexport const x = scoreSession;\n");
    expect(errors.join('\n')).toMatch(/Extractors may depend on @forge\/schema and @forge\/reader-kit only/);
  });

  it('should keep scoring pure: no readers in its sources, readers allowed in its tests and benchmark', async () => {
    const inSource = await importErrors('packages/scoring/src/score.ts', "import { readOutcomes } from '@forge/extract-outcomes';\nexport const x = readOutcomes;\n");
    expect(inSource.join('\n')).toMatch(/@forge\/scoring may depend on @forge\/schema and @forge\/reader-kit only/);
    expect(await importErrors('packages/scoring/src/score.ts', "import { findBeadIds } from '@forge/reader-kit';\nexport const x = findBeadIds;\n")).toEqual([]);
    const reading = "import { readOutcomes } from '@forge/extract-outcomes';\nimport { readClaudeSession } from '@forge/extract-claude';\nexport const x = [readOutcomes, readClaudeSession];\n";
    expect(await importErrors('packages/scoring/test/agents.test.ts', reading)).toEqual([]);
    expect(await importErrors('packages/scoring/bench/linking.bench.ts', reading)).toEqual([]);
    const transform = await importErrors('packages/scoring/test/agents.test.ts', "import { emitShareGpt } from '@forge/transform';\nexport const x = emitShareGpt;\n");
    expect(transform.join('\n')).toMatch(/tests may use the schema, the reader kit and the readers only/);
  });
});
