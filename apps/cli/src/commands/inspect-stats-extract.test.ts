import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRealFixtureExpectations, sharedFixturesRoot } from '@forge-internal/test-agents';
import { exitCodes } from '../cli-io.js';
import { runCli } from '../test-support/run-cli.js';

const demoHome = join(import.meta.dirname, '..', '..', 'demo', 'home');
const groundTruth = readRealFixtureExpectations();
// An empty environment: the readers must not fall back to the real ~/.claude or ~/.pi.
const emptyHome = mkdtempSync(join(tmpdir(), 'forge-cli-home-'));
const env = { HOME: emptyHome };

describe('forge inspect', () => {
  it('should show a real pi file with its Gas Town context and counts', async () => {
    const file = join(demoHome, '.pi/agent/sessions/--home-ubuntu-gt-myrig-polecats-nux--/2026-11-24T04-07-47-845Z_01a20bbd-0984-77ca-9e17-aa1ee6080a55.jsonl');
    const result = await runCli(['inspect', file], { env, cwd: emptyHome });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(exitCodes.ok);
    expect(result.stdout).toContain('(pi');
    expect(result.stdout).toMatch(/gas town +polecat rig=myrig name=nux/);
    expect(result.stdout).toMatch(/1 user prompts, 6 assistant, 5 tool calls, 1 tool errors/);
  });

  it('should read a Claude Code transcript when the file is not a pi session', async () => {
    const file = join(demoHome, '.claude/projects/-home-ubuntu-gt-myrig-polecats-nux/785d9c5e-608b-4153-be11-9b182a683525.jsonl');
    const result = await runCli(['inspect', file, '--json'], { env, cwd: emptyHome });
    expect(result.exitCode).toBe(exitCodes.ok);
    const [report] = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const [session] = report.sessions;
    expect(session.source).toBe('claude-code');
    expect(session.usage).toEqual({ input: 117, output: 235, cacheRead: 29500, cacheWrite: 6000 });
  });

  it('should report warnings with file:line and exit 3 for a file with a torn last line', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'forge-inspect-'));
    const source = join(sharedFixturesRoot, 'pi', 'sessions', '--home-ubuntu-gt-mayor--', '2026-08-12T22-47-51.339Z_c07a4d92.jsonl');
    const file = join(folder, 'torn.jsonl');
    cpSync(source, file);
    const result = await runCli(['inspect', file], { env, cwd: folder });
    expect(result.exitCode).toBe(exitCodes.doneWithWarnings);
    expect(result.stdout).toMatch(new RegExp(`torn\\.jsonl:7 \\[truncated-line\\]`));
  });

  it('should refuse a file of no source it reads, naming the sources, and report an empty file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'forge-inspect-'));
    const notes = join(folder, 'notes.jsonl');
    writeFileSync(notes, '{"todo":"buy milk"}\n{"todo":"call Kim"}\n');
    const refused = await runCli(['inspect', notes], { env, cwd: folder });
    expect(refused.exitCode).toBe(exitCodes.usage);
    expect(refused.stderr).toBe(`forge: ${notes}: not a session file of any source forge reads (pir, pi, omp, claude-code, codex, gemini, opencode) (pass the path of a session .jsonl file)\n`);
    const empty = join(folder, 'empty.jsonl');
    writeFileSync(empty, '');
    const result = await runCli(['inspect', empty], { env, cwd: folder });
    expect(result.exitCode).toBe(exitCodes.doneWithWarnings);
    expect(result.stdout).toBe(`${empty}\n  no session in this file\n  ${empty} [empty-file] empty session file (0 bytes)\n`);
  });

  it('should fail with exit 2 and say what to do for a missing file', async () => {
    const result = await runCli(['inspect', '/nonexistent/session.jsonl'], { env, cwd: emptyHome });
    expect(result.exitCode).toBe(exitCodes.usage);
    expect(result.stderr).toMatch(/cannot read \/nonexistent\/session\.jsonl.*pass the path of a session \.jsonl file/);
  });
});

describe('forge stats', () => {
  it('should give one JSON object per session with counts that match the real programs\' ground truth', async () => {
    const result = await runCli(['stats', '--root', demoHome, '--source', 'omp,claude', '--json', '--quiet'], { env, cwd: emptyHome });
    expect(result.exitCode).toBe(exitCodes.ok);
    const rows = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const truth = groundTruth.filter(({ file }) => file.startsWith('omp/') || file.startsWith('claude/'));
    expect(rows).toHaveLength(truth.length);
    const totals = (pick: (row: any) => number) => rows.reduce((sum: number, row: any) => sum + pick(row), 0);
    const truthTotals = (key: 'toolCalls' | 'toolErrors' | 'userPrompts' | 'assistantMessages') => truth.reduce((sum, { expected }) => sum + expected[key], 0);
    expect(totals((row) => row.toolCalls)).toBe(truthTotals('toolCalls'));
    expect(totals((row) => row.toolErrors)).toBe(truthTotals('toolErrors'));
    expect(totals((row) => row.userTurns)).toBe(truthTotals('userPrompts'));
    expect(totals((row) => row.assistantTurns)).toBe(truthTotals('assistantMessages'));
  });

  it('should print a table grouped by source, role and model', async () => {
    const result = await runCli(['stats', '--root', demoHome, '--quiet'], { env, cwd: emptyHome });
    expect([exitCodes.ok, exitCodes.doneWithWarnings]).toContain(result.exitCode);
    expect(result.stdout.split('\n')[0]).toMatch(/^source +role +model +sessions +turns +tool calls +tool errors +input +output +cache read +cache write$/);
    expect(result.stdout).toMatch(/^claude-code +polecat +/m);
    expect(result.stdout).toMatch(/^pir +deacon +/m);
    expect(result.stdout).toMatch(/sessions from \d+ files/);
  });

  it('should reject an unknown source with exit 2', async () => {
    const result = await runCli(['stats', '--source', 'cursor'], { env, cwd: emptyHome });
    expect(result.exitCode).toBe(exitCodes.usage);
    expect(result.stderr).toMatch(/unknown source "cursor".*choose from pir, pi, omp, claude-code, claude/);
  });
});

describe('forge extract', () => {
  it('should write one valid Session per line to a file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'forge-extract-')), 'sessions.jsonl');
    const result = await runCli(['extract', '--root', demoHome, '--out', out, '--quiet'], { env, cwd: emptyHome });
    expect([exitCodes.ok, exitCodes.doneWithWarnings]).toContain(result.exitCode);
    const { parseSession } = await import('@forge/schema');
    const sessions = readFileSync(out, 'utf8').trim().split('\n').map((line) => parseSession(JSON.parse(line)));
    expect(new Set(sessions.map((session) => session.source))).toEqual(new Set(['claude-code', 'pi', 'pir', 'omp']));
  });
});
