import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ForgeError } from '@forge/schema';
import { exitCodes } from '../cli-io.js';
import { runForge } from '../run/run-forge.js';
import { runCli } from '../test-support/run-cli.js';

function emptyHome(): string {
  return mkdtempSync(join(tmpdir(), 'forge-options-'));
}

describe('forge run options', () => {
  const badFlags: Array<[string[], RegExp]> = [
    [['--max-tokens', 'abc'], /option '--max-tokens <count>' argument 'abc' is invalid\. "abc" is not a number\./],
    [['--max-tokens', '12abc'], /argument '12abc' is invalid\. "12abc" is not a number\./],
    [['--max-tokens', '0'], /argument '0' is invalid\. 0 is not a positive number of tokens\./],
    [['--max-tokens', '1.5'], /argument '1\.5' is invalid\. 1\.5 is not a whole number of tokens\./],
    [['--validation-ratio', '2'], /option '--validation-ratio <ratio>' argument '2' is invalid\. 2 is not a share between 0 and 1\./],
    [['--validation-ratio', 'half'], /argument 'half' is invalid\. "half" is not a number\./],
    [['--over-length', 'squash'], /option '--over-length <policy>' argument 'squash' is invalid\. Allowed choices are split, drop\./],
    [['--format', 'sharegpt,alpaca'], /invalid option formats: "alpaca" is not a format: one of sharegpt, openai, messages, dpo-trl, dpo-sharegpt, dpo-openai, kto, atif, parquet/],
    [['--source', 'claude,cursor'], /invalid option sources: "cursor" is not a source: one of pir, pi, omp, claude-code, claude/],
    [['--format', ','], /invalid option formats: \[\] is not a list of formats: one or more of sharegpt, openai, messages, dpo-trl, dpo-sharegpt, dpo-openai, kto, atif, parquet/],
  ];
  for (const [flags, message] of badFlags) {
    it(`should refuse ${flags.join(' ')} with exit 2 and write nothing`, async () => {
      const home = emptyHome();
      const result = await runCli(['run', '--demo', '--out', join(home, 'dataset'), ...flags], { env: { HOME: home }, cwd: home });
      expect(result.exitCode).toBe(exitCodes.usage);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/unexpected failure|\n\s+at /);
      expect(readdirSync(home)).toEqual([]);
    });
  }

  it('should refuse a bad value in forge.config.json by the same rule, naming the file', async () => {
    const home = emptyHome();
    writeFileSync(join(home, 'forge.config.json'), JSON.stringify({ maxTokens: -5, overLength: 'squash' }));
    const result = await runCli(['run', '--demo'], { env: { HOME: home }, cwd: home });
    expect(result.exitCode).toBe(exitCodes.usage);
    expect(result.stderr).toBe(`forge: ${join(home, 'forge.config.json')}: invalid config: maxTokens: a positive number of tokens; overLength: split or drop (see \`forge run --help\` for the keys)\n`);
  });

  it('should check the options of runForge called from code by the same rules', async () => {
    const home = emptyHome();
    const failure = await runForge({ demo: true, out: join(home, 'dataset'), maxTokens: -1, env: { HOME: home }, cwd: home }).catch((error: unknown) => error);
    expect(ForgeError.isInstance(failure)).toBe(true);
    expect((failure as ForgeError).code).toBe('usage');
    expect((failure as ForgeError).message).toBe('invalid option maxTokens: -1 is not a positive number of tokens');
    expect(existsSync(join(home, 'dataset'))).toBe(false);
  });

  it('should say which output folder cannot be written and why, with exit 1 and no stack trace', async () => {
    const home = emptyHome();
    writeFileSync(join(home, 'taken'), 'a file, not a folder');
    const out = join(home, 'taken', 'dataset');
    const result = await runCli(['run', '--demo', '--quiet', '--out', out], { env: { HOME: home }, cwd: home });
    expect(result.exitCode).toBe(exitCodes.failure);
    expect(result.stderr).toBe(
      `forge: cannot write the dataset folder ${out}: a file is where a folder should be (EEXIST mkdir at ${join(home, 'taken')}) (choose a folder you can write to, or free space or fix the permissions there)\n`,
    );
  });
  it('should keep, drop or replace the recorded system prompt with --system-prompt, and refuse a missing file', async () => {
    const home = emptyHome();
    const systemsOf = async (value: string) => {
      const out = join(home, `dataset-${value.replace(/\W/gu, '')}`);
      const result = await runCli(['run', '--demo', '--out', out, '--format', 'messages', '--system-prompt', value, '-q'], { env: { HOME: home }, cwd: home });
      expect(result.exitCode, result.stderr).toBe(exitCodes.ok);
      const rows = readFileSync(join(out, 'messages', 'train.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { messages: Array<{ role: string; content: string }> });
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { options: { systemPrompt: unknown } };
      return { systems: rows.map((row) => row.messages.find((message) => message.role === 'system')?.content), recorded: manifest.options.systemPrompt };
    };
    // The demo's Claude Code 2.1.330 sessions recorded the SDK's system prompt.
    const kept = await systemsOf('keep');
    expect(kept.systems.some((system) => system?.startsWith("You are a Claude agent, built on Anthropic's Claude Agent SDK.") === true)).toBe(true);
    expect(kept.recorded).toBe('keep');
    expect((await systemsOf('drop')).systems.every((system) => system === undefined)).toBe(true);
    writeFileSync(join(home, 'system.txt'), 'You are a careful coding agent.');
    const replaced = await systemsOf('system.txt');
    expect(new Set(replaced.systems)).toEqual(new Set(['You are a careful coding agent.']));
    expect(replaced.recorded).toEqual({ file: '~/system.txt', sha256: createHash('sha256').update('You are a careful coding agent.').digest('hex') });

    const missing = await runCli(['run', '--demo', '--out', join(home, 'never'), '--system-prompt', 'nope.txt'], { env: { HOME: home }, cwd: home });
    expect(missing.exitCode).toBe(exitCodes.usage);
    expect(missing.stderr).toContain(`"nope.txt" is not keep, drop or a readable text file (${join(home, 'nope.txt')}: no such file)`);
    expect(existsSync(join(home, 'never'))).toBe(false);
  });
});
