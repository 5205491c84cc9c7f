import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSession, type Session, type SessionWarning } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { ClaudeExtractError } from './claude-extract-error.js';
import { readClaudeSession } from './read-claude-session.js';
import { handWrittenProject, handWrittenRoot, roleString, type JsonLine } from './test-support/fixtures.js';

const fixture = (name: string): string => join(handWrittenProject, name);

async function readOne(path: string): Promise<Session[]> {
  const sessions = await readClaudeSession(path);
  for (const session of sessions) parseSession(session);
  return sessions;
}

/** Raw lines of a fixture, for expectations computed from the file itself. */
async function rawLines(path: string): Promise<JsonLine[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

describe('readClaudeSession', () => {
  // Expected roles: the table in fixtures/claude/README.md.
  it('should read fixture 1 (plain Q&A) as UAUA, walking through attachment and turn_duration nodes', async () => {
    const [session] = await readOne(fixture('fa341524-a7a6-47a0-a176-2eb09ddd7bf5.jsonl'));
    expect(roleString(session!)).toBe('UAUA');
    expect(session!.title).toBe('Rebase vs merge for feature branches');
    expect(session!.cwd).toBe('/home/dev/work/acme-api');
    expect(session!.messages.find((message) => message.role === 'system')?.provenance).toBe('attachment');
  });

  it('should rebuild fixture 2 (split response, side branch, errors, interruption) as UArArUUArArA', async () => {
    const path = fixture('2502a891-7752-43b4-b82c-2d11cbf67729.jsonl');
    const [session] = await readOne(path);
    expect(roleString(session!)).toBe('UArArUUArArA');
    const lines = await rawLines(path);
    const split = lines.filter((line) => line.type === 'assistant' && line.message.id === lines[2]!.message.id);
    expect(split).toHaveLength(4);
    const merged = session!.messages.find((message) => message.role === 'assistant')!;
    // Usage of the final record, never the sum of the four lines.
    const last = split[split.length - 1]!.message.usage;
    expect(merged.usage).toEqual({ input: last.input_tokens, output: last.output_tokens, cacheRead: last.cache_read_input_tokens, cacheWrite: last.cache_creation_input_tokens });
    expect(merged.reasoning.state).toBe('present');
    expect(merged.toolCalls.map((call) => call.name)).toEqual(['Bash', 'Read']);
    // Results follow in tool_use order although the Read result was written first.
    const results = session!.messages.slice(2, 4);
    expect(results.map((message) => message.toolResult?.toolName)).toEqual(['Bash', 'Read']);
    expect(results[0]!.toolResult!.isError).toBe(true);
    expect(results[1]!.text).toContain('<system-reminder>');
    expect(results[1]!.metadata?.toolUseResult).toBeDefined();
    expect(results[1]!.text).not.toContain('"filePath"');
    const rejection = session!.messages.find((message) => message.toolResult?.text.includes("doesn't want to proceed"));
    expect(rejection?.toolResult?.isError).toBe(true);
    expect(session!.messages.filter((message) => message.provenance === 'interrupted')).toHaveLength(1);
    expect(session!.usageProvisional).toBeUndefined();
    expect(session!.sourceVersion).toBe('2.1.114');
  });

  it('should link fixture 3 subagent file to its spawning tool call through meta.json', async () => {
    const [parent] = await readOne(fixture('8aa167c2-4c13-4194-802a-efd5572f4c6d.jsonl'));
    expect(roleString(parent!)).toBe('UArA');
    const subagentPath = fixture('8aa167c2-4c13-4194-802a-efd5572f4c6d/subagents/agent-a5ee42939671515f2.jsonl');
    const [subagent] = await readOne(subagentPath);
    expect(roleString(subagent!)).toBe('UArArA');
    const meta = JSON.parse(await readFile(subagentPath.replace(/\.jsonl$/u, '.meta.json'), 'utf8'));
    expect(subagent!.isSubagent).toBe(true);
    expect(subagent!.parent).toEqual({ sessionId: parent!.id, toolCallId: meta.toolUseId });
    expect(subagent!.agent).toMatchObject({ id: 'a5ee42939671515f2', type: meta.agentType });
    const spawn = parent!.messages.flatMap((message) => message.toolCalls).find((call) => call.id === meta.toolUseId);
    expect(spawn?.name).toBe('Agent');
    // The subagent's final text is what the parent got back.
    const finalText = subagent!.messages.at(-1)!.text;
    expect(parent!.messages.find((message) => message.toolResult?.toolCallId === meta.toolUseId)?.text).toContain(finalText);
  });

  it('should follow fixture 4 through the compact boundary and classify command noise', async () => {
    const [session] = await readOne(fixture('1f4cf063-f8a8-42dd-9485-d346f9ae8977.jsonl'));
    expect(roleString(session!)).toBe('UArAUArAUUUUUA');
    const users = session!.messages.filter((message) => message.role === 'user');
    expect(users.map((message) => message.provenance)).toEqual([
      'conversation',
      'conversation',
      'compaction-summary',
      'command-wrapper',
      'command-wrapper',
      'local-command-output',
      'conversation',
    ]);
    const systemMessages = session!.messages.filter((message) => message.role === 'system');
    expect(systemMessages.map((message) => message.provenance)).toEqual(['command-wrapper', 'local-command-output']);
    expect(session!.title).toBe('Migrate config loader to TOML');
    expect(session!.models).toEqual(['claude-opus-4-7', 'claude-sonnet-4-6']);
  });

  it('should read fixture 5 (1.0.65 shape) as UArA and flag its snapshot-only usage as provisional', async () => {
    const [session] = await readOne(fixture('d7c3835b-abb1-4df7-824f-1449e21f8053.jsonl'));
    expect(roleString(session!)).toBe('UArA');
    expect(session!.usageProvisional).toBe(true);
    expect(session!.warnings.map((warning) => warning.kind)).toContain('provisional-usage');
  });

  it('should read fixture 6 alone as UArAUArA and drop its byte-identical double write', async () => {
    const [session] = await readOne(fixture('72eefe99-4807-419a-9f07-2c6140e3343e.jsonl'));
    expect(roleString(session!)).toBe('UArAUArA');
    expect(session!.warnings.find((warning) => warning.kind === 'duplicate')?.count).toBe(1);
    // The summary's leaf is one of the copied lines: the title applies.
    expect(session!.title).toBeDefined();
  });

  it('should read fixture 7 as UArAUAUU, keep the synthetic API error marked, and warn about the cut last line', async () => {
    const path = join(handWrittenRoot, 'projects', '-home-dev-work-acme-io-site', 'ab496744-83ca-41ea-b6d4-57e646990d6c.jsonl');
    const [session] = await readOne(path);
    expect(roleString(session!)).toBe('UArAUAUU');
    const assistants = session!.messages.filter((message) => message.role === 'assistant');
    expect(assistants[1]!.provenance).toBe('api-error');
    expect(assistants[1]!.model).toBeUndefined();
    expect(session!.models).not.toContain('<synthetic>');
    expect(session!.messages.filter((message) => message.role === 'system' && message.provenance === 'api-error')).toHaveLength(2);
    expect(assistants[2]!.metadata?.interrupted).toBe(true);
    const lineCount = (await readFile(path, 'utf8')).split('\n').length;
    const truncated = session!.warnings.find((warning: SessionWarning) => warning.kind === 'truncated-line');
    expect(truncated).toMatchObject({ file: path, line: lineCount });
    expect(session!.messages[0]!.text).toContain('<ide_opened_file>');
  });

  it('should throw ClaudeExtractError for a path that is not a file', async () => {
    const error = await readClaudeSession(join(handWrittenProject, 'missing.jsonl')).catch((caught: unknown) => caught);
    expect(ClaudeExtractError.isInstance(error)).toBe(true);
    expect((error as ClaudeExtractError).code).toBe('claude-file-unreadable');
    expect(String((error as Error).message)).toContain('missing.jsonl');
  });
});
