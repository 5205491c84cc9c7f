import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/fixtures` beside the repository: read-only inputs of the tests (copy what a test changes). */
export const sharedFixturesRoot = fileURLToPath(new URL('../../../../shared/fixtures', import.meta.url));

/** The CLI's demo home (`forge run --demo`): `.claude`, `.pi` and `.omp` folders as a user's home holds them. */
export const demoHome = fileURLToPath(new URL('../../../apps/cli/demo/home', import.meta.url));

/** Token counts as the stub served them (Anthropic field names). */
interface ServedUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

/** One transcript of `fixtures/real/expected.json`: what its real client was served (fixtures/real/README.md). */
export interface RealFixtureFile {
  /** Relative to `fixtures/real`. */
  file: string;
  client: 'claude' | 'claude-2.0.76' | 'pi' | 'omp';
  version: string;
  expected: {
    userPrompts: number;
    warmupPrompts: number;
    assistantMessages: number;
    toolCalls: number;
    toolResults: number;
    toolErrors: number;
    thinkingBlocks: number;
    usage: ServedUsage;
    /** Served over an OpenAI API (pi stores its usage differently then). */
    openai: boolean;
    models: string[];
  };
  /** What the file itself holds (Claude Code 2.0.x stores provisional output tokens). */
  observed: { usage: { input: number; output: number; cacheRead: number; cacheWrite: number } };
}

/** The entries of `fixtures/real/expected.json`. */
export function readRealFixtureExpectations(): RealFixtureFile[] {
  const manifest = JSON.parse(readFileSync(join(sharedFixturesRoot, 'real', 'expected.json'), 'utf8')) as { files: RealFixtureFile[] };
  return manifest.files;
}
