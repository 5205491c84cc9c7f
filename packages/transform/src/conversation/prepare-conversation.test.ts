import { describe, expect, it } from 'vitest';
import { loadSessionFixture } from '../test-support/fixtures.js';
import { prepareConversation } from './prepare-conversation.js';

describe('prepareConversation', () => {
  const claude = loadSessionFixture('claude-fix-test.session.json');

  it('should drop harness noise by default and keep orchestration as untrained context', () => {
    const result = prepareConversation(claude);
    if (!result.ok) throw new Error(result.reason);
    const texts = result.conversation.turns.map((turn) => turn.text);
    expect(texts.some((text) => text.includes('system-reminder'))).toBe(false);
    expect(texts.some((text) => text.includes('PostToolUse hook'))).toBe(false);
    expect(result.stats.noiseMessagesDropped).toBe(2);
    const beacon = result.conversation.turns.find((turn) => turn.text.startsWith('[GAS TOWN]'));
    expect(beacon?.train).toBe(false);
    expect(result.conversation.turns[0]?.role).toBe('user');
  });

  it('should keep noise as untrained context when asked', () => {
    const result = prepareConversation(claude, { noise: 'keep' });
    if (!result.ok) throw new Error(result.reason);
    const reminder = result.conversation.turns.find((turn) => turn.text.includes('system-reminder'));
    expect(reminder).toBeDefined();
    expect(reminder?.train).toBe(false);
    expect(result.stats.noiseMessagesDropped).toBe(0);
  });

  it('should mask assistant turns whose reasoning is hollow and train the others', () => {
    const result = prepareConversation(claude);
    if (!result.ok) throw new Error(result.reason);
    const assistants = result.conversation.turns.filter((turn) => turn.role === 'assistant');
    const hollow = assistants.filter((turn) => turn.reasoning.state === 'hollow');
    expect(hollow.length).toBeGreaterThan(0);
    expect(hollow.every((turn) => !turn.train)).toBe(true);
    expect(assistants.filter((turn) => turn.reasoning.state !== 'hollow').every((turn) => turn.train)).toBe(true);
  });

  it('should end on an assistant turn and drop the trailing nudge', () => {
    const result = prepareConversation(claude);
    if (!result.ok) throw new Error(result.reason);
    expect(result.conversation.turns.at(-1)?.role).toBe('assistant');
    expect(result.conversation.turns.some((turn) => turn.text.includes('nudge'))).toBe(false);
  });

  it('should keep the recorded system prompt by default, once, and drop or replace it when asked', () => {
    const recorded = 'You are Claude Code, an interactive CLI tool.\n\nWorking directory: ~/app';
    const system = { ...claude.messages[0]!, role: 'system' as const, text: 'Gas Town role: polecat', provenance: 'conversation' as const };
    const session = { ...claude, systemPrompt: recorded, messages: [system, { ...system, text: recorded }, ...claude.messages] };
    const system0 = (policy?: Parameters<typeof prepareConversation>[1]) => {
      const result = prepareConversation(session, policy);
      if (!result.ok) throw new Error(result.reason);
      return result.conversation.system;
    };
    expect(system0()).toBe(`${recorded}\n\nGas Town role: polecat`);
    expect(system0({ systemPrompt: 'drop' })).toBe('');
    expect(system0({ systemPrompt: { replacement: 'You are a careful coding agent.' } })).toBe('You are a careful coding agent.');
  });

  it('should infer tool definitions from the calls with required keys and types', () => {
    const result = prepareConversation(claude);
    if (!result.ok) throw new Error(result.reason);
    const names = result.conversation.tools.map((tool) => tool.function.name);
    expect(names).toEqual(['Bash', 'Edit', 'Read']);
    const read = result.conversation.tools.find((tool) => tool.function.name === 'Read')!;
    expect(read.function.parameters).toEqual({
      type: 'object',
      properties: { file_path: { type: 'string' }, limit: { type: 'integer' } },
      required: ['file_path'],
    });
  });

  it('should drop calls that never got a result and results without a call', () => {
    const session = loadSessionFixture('omp-summary.session.json');
    session.messages.splice(2, 0, {
      role: 'tool',
      text: '',
      reasoning: { state: 'absent' },
      toolCalls: [],
      provenance: 'conversation',
      toolResult: { toolCallId: 'nobody', toolName: 'read', isError: false, text: 'orphan' },
    });
    session.messages[1]!.toolCalls.push({ id: 'r2', name: 'read', arguments: '{"path":"LICENSE"}' });
    const result = prepareConversation(session);
    if (!result.ok) throw new Error(result.reason);
    expect(result.stats.orphanToolResultsDropped).toBe(1);
    expect(result.stats.unansweredToolCallsDropped).toBe(1);
    expect(result.conversation.turns.flatMap((turn) => turn.toolCalls.map((call) => call.id))).toEqual(['r1']);
  });

  it('should wrap tool arguments that are not JSON so every format stays valid', () => {
    const session = loadSessionFixture('omp-summary.session.json');
    session.messages[1]!.toolCalls[0]!.arguments = '{"path": README.md';
    const result = prepareConversation(session);
    if (!result.ok) throw new Error(result.reason);
    const call = result.conversation.turns[1]!.toolCalls[0]!;
    expect(call.arguments).toEqual({ raw_arguments: '{"path": README.md' });
    expect(JSON.parse(call.argumentsJson)).toEqual({ raw_arguments: '{"path": README.md' });
    expect(result.stats.invalidToolArguments).toBe(1);
  });

  it('should report a session with nothing to train on', () => {
    const session = loadSessionFixture('omp-summary.session.json');
    session.messages = session.messages.filter((message) => message.role === 'user');
    const result = prepareConversation(session);
    expect(result.ok).toBe(false);
  });

  it('should use the session tool definitions when it has them', () => {
    const session = loadSessionFixture('planted-secrets.session.json');
    const result = prepareConversation(session);
    if (!result.ok) throw new Error(result.reason);
    expect(result.conversation.tools).toHaveLength(1);
    expect(result.conversation.tools[0]?.function.description).toContain('Runs shell commands');
  });
});
