import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSession, type Session, type SessionWarning } from '@forge/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { readRealFixtureExpectations } from '@forge-internal/test-agents';
import { readJsonLines } from '@forge/reader-kit';
import { removeTempDirs } from './test-support/temp-dirs.js';
import { discoverClaudeSessions } from './discover-claude-sessions.js';
import { extractClaudeSessions, type ExtractClaudeSessionsOptions } from './extract-claude-sessions.js';
import { handWrittenRoot, realRoot, roleString, samplesAsConfigDir, type JsonLine } from './test-support/fixtures.js';

async function extractAll(options: ExtractClaudeSessionsOptions): Promise<{ sessions: Session[]; warnings: SessionWarning[] }> {
  const warnings: SessionWarning[] = [];
  const sessions: Session[] = [];
  for await (const session of extractClaudeSessions({ ...options, onWarning: (warning) => warnings.push(warning) })) {
    parseSession(session);
    sessions.push(session);
  }
  return { sessions, warnings };
}

/** The parsed lines of a fixture; its torn or invalid lines (some samples have them) are left out. */
async function jsonLines(path: string): Promise<JsonLine[]> {
  const values: JsonLine[] = [];
  for await (const line of readJsonLines(path)) if (line.kind === 'value') values.push(line.value);
  return values;
}


afterAll(removeTempDirs);

describe('extractClaudeSessions', () => {
  it('should extract the hand-written corpus with resume copies removed and the subagent linked', async () => {
    const { sessions } = await extractAll({ roots: [handWrittenRoot] });
    const byFile = new Map(sessions.map((session) => [session.files[0]!.split('/').pop()!, session]));
    // Seven main transcripts + one subagent, although sessions-index.json lists only two.
    const index = JSON.parse(await readFile(join(handWrittenRoot, 'projects', '-home-dev-work-acme-api', 'sessions-index.json'), 'utf8'));
    expect(index.entries.length).toBeLessThan(sessions.length);
    expect(sessions).toHaveLength(8);
    // README: after project-level dedup, session 6 owns only UArA (the continuation).
    const resumed = byFile.get('72eefe99-4807-419a-9f07-2c6140e3343e.jsonl')!;
    expect(roleString(resumed)).toBe('UArA');
    const original = byFile.get('d7c3835b-abb1-4df7-824f-1449e21f8053.jsonl')!;
    expect(roleString(original)).toBe('UArA');
    // The summary line in file 6 names a leaf in file 5: file 5 gets the title.
    const summary = (await jsonLines(resumed.files[0]!)).find((line) => line.type === 'summary')!;
    expect(original.title).toBe(summary.summary);
    expect(resumed.title).toBeUndefined();
    const uuids = (session: Session) => new Set(session.messages.flatMap((message) => message.sourceIds ?? []));
    const overlap = [...uuids(resumed)].filter((id) => uuids(original).has(id));
    expect(overlap).toEqual([]);
    const subagent = byFile.get('agent-a5ee42939671515f2.jsonl')!;
    expect(subagent.parent?.sessionId).toBe('8aa167c2-4c13-4194-802a-efd5572f4c6d');
    expect(subagent.parent?.toolCallId).toBeDefined();
  });

  it('should give the same sessions with two worker threads as in one thread', async () => {
    const single = await extractAll({ roots: [handWrittenRoot] });
    const pooled = await extractAll({ roots: [handWrittenRoot], workers: 2 });
    expect(pooled.sessions).toEqual(single.sessions);
  });

  it('should read every real public sample without a crash, with checkable counts', async () => {
    const configDir = await samplesAsConfigDir();
    const files: string[] = [];
    for await (const file of discoverClaudeSessions({ roots: [configDir] })) files.push(file.path);
    const { sessions } = await extractAll({ roots: [configDir] });
    // Every file gives at least one session; the 1.0.108 file adds its inline sidechains.
    for (const file of files) expect(sessions.some((session) => session.files[0] === file)).toBe(true);
    for (const file of files) {
      const lines = await jsonLines(file);
      const sidechainRoots = lines.filter((line) => line.isSidechain === true && line.parentUuid == null && line.type === 'user').length;
      const fromFile = sessions.filter((session) => session.files[0] === file);
      const inline = file.includes('agent-') ? 0 : sidechainRoots;
      expect(fromFile).toHaveLength(1 + inline);
      // Every tool call of a session is answered, and no two assistant turns follow each other.
      for (const session of fromFile) {
        expect(roleString(session)).not.toMatch(/AA/u);
        const callIds = new Set(session.messages.flatMap((message) => message.toolCalls.map((call) => call.id)));
        const resultIds = new Set(session.messages.flatMap((message) => (message.toolResult == null ? [] : [message.toolResult.toolCallId])));
        for (const id of resultIds) expect(callIds.has(id)).toBe(true);
      }
    }
    // Subagents in every layout are linked to a Task/Agent call of their parent.
    for (const subagent of sessions.filter((session) => session.isSubagent)) {
      const parent = sessions.find((session) => session.id === subagent.parent?.sessionId);
      expect(parent).toBeDefined();
      const call = parent!.messages.flatMap((message) => message.toolCalls).find((candidate) => candidate.id === subagent.parent?.toolCallId);
      expect(['Task', 'Agent']).toContain(call?.name);
    }
    // R1's Task call (claude-code.md appendix A) spawned agent a2271d1.
    const r2 = sessions.find((session) => session.agent?.id === 'a2271d1');
    expect(r2?.parent).toEqual({ sessionId: '29ccd257-68b1-427f-ae5f-6524b7cb6f20', toolCallId: 'toolu_01SXaWzD5YZ73zGwchbcxeWi' });
    // Empty-text signed thinking (R3, 2.1.114) is hollow, never present-but-empty.
    const r3 = sessions.find((session) => session.id === 'ef958aa1-0e93-49f0-bb71-150f63befcd1')!;
    expect(r3.messages.some((message) => message.reasoning.state === 'hollow')).toBe(true);
    for (const session of sessions) for (const message of session.messages) if (message.reasoning.state === 'present') expect(message.reasoning.text).not.toBe('');
  });

  it('should match expected.json for the files written by Claude Code 2.1.330 and 2.0.76', async () => {
    const claudeFiles = readRealFixtureExpectations().filter((entry) => entry.client === 'claude' || entry.client === 'claude-2.0.76');
    const warnings: SessionWarning[] = [];
    const sessions: Session[] = [];
    for (const client of ['claude', 'claude-2.0.76']) {
      const result = await extractAll({ roots: [join(realRoot, client, '.claude')] });
      sessions.push(...result.sessions);
      warnings.push(...result.warnings);
    }
    for (const entry of claudeFiles) {
      const path = join(realRoot, entry.file);
      const session = sessions.find((candidate) => candidate.files[0] === path);
      const truth = entry.expected;
      if (truth.userPrompts + truth.assistantMessages + truth.warmupPrompts === 0) {
        // The 0-byte file 2.0.76 leaves on --resume: a warning, no session.
        expect(session).toBeUndefined();
        expect(warnings).toContainEqual(expect.objectContaining({ file: path, kind: 'empty-file' }));
        continue;
      }
      expect(session, entry.file).toBeDefined();
      const messages = session!.messages;
      const isPrompt = (provenance: string) => provenance === 'conversation' || provenance === 'gastown-beacon' || provenance === 'gastown-nudge';
      expect(messages.filter((message) => message.role === 'user' && isPrompt(message.provenance))).toHaveLength(truth.userPrompts);
      expect(messages.filter((message) => message.role === 'user' && message.provenance === 'warmup')).toHaveLength(truth.warmupPrompts);
      expect(messages.filter((message) => message.role === 'assistant')).toHaveLength(truth.assistantMessages);
      expect(messages.flatMap((message) => message.toolCalls)).toHaveLength(truth.toolCalls);
      expect(messages.filter((message) => message.role === 'tool')).toHaveLength(truth.toolResults);
      expect(messages.filter((message) => message.toolResult?.isError === true)).toHaveLength(truth.toolErrors);
      expect(messages.filter((message) => message.reasoning.state !== 'absent')).toHaveLength(truth.thinkingBlocks);
      // Usage: exactly what the file holds; equal to the stub's figures except 2.0.x's provisional output.
      expect(session!.usage).toEqual(entry.observed.usage);
      expect(session!.usage.input).toBe(truth.usage.input_tokens);
      expect(session!.usage.cacheRead).toBe(truth.usage.cache_read_input_tokens);
      expect(session!.usage.cacheWrite).toBe(truth.usage.cache_creation_input_tokens);
      if (entry.client === 'claude') {
        expect(session!.usage.output).toBe(truth.usage.output_tokens);
        expect(session!.usageProvisional).toBeUndefined();
      } else {
        expect(session!.usageProvisional).toBe(true);
        expect(session!.warnings.map((warning) => warning.kind)).toContain('provisional-usage');
        expect(session!.usage.output).toBeLessThan(truth.usage.output_tokens);
      }
      // cwd /home/ubuntu/gt/myrig/polecats/nux: a Gas Town polecat.
      expect(session!.gastown).toMatchObject({ role: 'polecat', rig: 'myrig', name: 'nux' });
    }
    // Every Claude file of expected.json is accounted for, and nothing else was read.
    const listed = new Set(claudeFiles.map((entry) => join(realRoot, entry.file)));
    for (const session of sessions) expect(listed.has(session.files[0]!)).toBe(true);
    const warmups = sessions.filter((session) => session.messages.every((message) => message.provenance === 'warmup'));
    expect(warmups).toHaveLength(claudeFiles.filter((entry) => entry.expected.warmupPrompts > 0).length);
    for (const warmup of warmups) expect(warmup.isSubagent).toBe(true);
    expect(await readdir(join(realRoot, 'claude-2.0.76', '.claude', 'projects'))).toHaveLength(1);
  });
});
