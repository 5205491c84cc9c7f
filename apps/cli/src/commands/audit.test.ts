import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../cli-io.js';
import { runCli } from '../test-support/run-cli.js';

describe('forge audit', () => {
  it('should pass the dataset forge run wrote, and find what is planted in an unredacted one, by file, row and field', async () => {
    const home = mkdtempSync(join(tmpdir(), 'forge-audit-'));
    const env = { HOME: home };
    expect((await runCli(['run', '--demo', '--out', join(home, 'dataset'), '--quiet'], { env, cwd: home })).exitCode).toBe(exitCodes.ok);
    const clean = await runCli(['audit', join(home, 'dataset')], { env, cwd: home });
    expect(clean.exitCode, clean.stdout).toBe(exitCodes.ok);
    // 6 JSONL files, 3 rows.jsonl, the manifest, dataset_info.json, axolotl.yaml, the card README.md and report.html.
    expect(clean.stderr).toMatch(/^clean: \d+ rows in 14 files, nothing to redact/);

    // Built at run time: no secret-shaped literal in the repository.
    const token = ['gh', 'p_', 'R8s2Kq9VxLm4Tz7Pw1Nc6Yb3Hd5Fg0Ju2Ea8'].join('');
    const password = 'correct-horse-battery';
    const leaky = join(home, 'leaky');
    mkdirSync(join(leaky, 'openai'), { recursive: true });
    const rows = [
      { messages: [{ role: 'user', content: 'Run the tests.' }] },
      { messages: [{ role: 'user', content: `My token is ${token}` }, { role: 'assistant', content: `Config: {"password": "${password}"}` }] },
    ];
    writeFileSync(join(leaky, 'openai', 'train.jsonl'), `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
    const found = await runCli(['audit', leaky], { env, cwd: home });
    expect(found.exitCode).toBe(exitCodes.failure);
    expect(found.stdout).toContain('openai/train.jsonl:2  messages[0].content  github  My token is [REDACTED:github]');
    expect(found.stdout).toContain('openai/train.jsonl:2  messages[1].content  secret-assignment  Config: {"password": "[REDACTED:secret-assignment]"}');
    const json = await runCli(['audit', leaky, '--json'], { env, cwd: home });
    expect(json.exitCode).toBe(exitCodes.failure);
    const report = JSON.parse(json.stdout) as { findings: Array<{ file: string; row: number; field: string; rule: string }> };
    expect(report.findings.map(({ file, row, field, rule }) => ({ file, row, field, rule }))).toEqual([
      { file: 'openai/train.jsonl', row: 2, field: 'messages[0].content', rule: 'github' },
      { file: 'openai/train.jsonl', row: 2, field: 'messages[1].content', rule: 'secret-assignment' },
    ]);
    // The report shows where, never the secret.
    for (const output of [found.stdout, found.stderr, json.stdout]) {
      expect(output).not.toContain(token);
      expect(output).not.toContain(password);
    }
  });
});
