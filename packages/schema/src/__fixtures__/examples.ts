import type { ChatMessage } from '../records/chat-messages.js';
import type { Message } from '../message.js';
import type { Session } from '../session.js';

// One small episode in the canonical model and in every output format (field-notes.md §1.2).

export const userMessage: Message = {
  role: 'user',
  text: 'utils.test.ts fails. Fix it.',
  reasoning: { state: 'absent' },
  toolCalls: [],
  provenance: 'conversation',
  timestamp: '2026-08-11T16:40:20.000Z',
};

export const assistantCall: Message = {
  role: 'assistant',
  text: '',
  reasoning: { state: 'present', text: 'Run the tests first.' },
  toolCalls: [{ id: 'call_1', name: 'Bash', arguments: '{"command":"npm test"}' }],
  usage: { input: 12, output: 30, cacheRead: 900, cacheWrite: 0 },
  model: 'claude-sonnet-4-5',
  stopReason: 'tool_use',
  provenance: 'conversation',
};

export const toolMessage: Message = {
  role: 'tool',
  text: 'FAIL utils.test.ts: expected 3, got 2',
  reasoning: { state: 'absent' },
  toolCalls: [],
  toolResult: { toolCallId: 'call_1', toolName: 'Bash', isError: true, text: 'FAIL utils.test.ts: expected 3, got 2' },
  provenance: 'conversation',
};

export const assistantAnswer: Message = {
  role: 'assistant',
  text: 'Fixed the off-by-one in `sum()`; tests pass.',
  reasoning: { state: 'hollow' },
  toolCalls: [],
  usage: { input: 40, output: 20, cacheRead: 950, cacheWrite: 10 },
  model: 'claude-sonnet-4-5',
  stopReason: 'end_turn',
  provenance: 'conversation',
};

export const session: Session = {
  schemaVersion: 1,
  id: '4b8f21c7-0000-4000-8000-000000000001',
  source: 'pir',
  sourceVersion: '3',
  files: ['/home/ubuntu/.pi/agent/sessions/--home-ubuntu-gt-myrig-polecats-nux--/2026-08-11T16-40-19.905Z_4b8f21c7.jsonl'],
  cwd: '/home/ubuntu/gt/myrig/polecats/nux/myrig',
  startedAt: '2026-08-11T16:40:19.905Z',
  endedAt: '2026-08-11T16:41:02.000Z',
  title: 'Fix utils test',
  models: ['claude-sonnet-4-5'],
  branch: { leafId: 'e5', isActive: true },
  isSubagent: false,
  gastown: { role: 'polecat', rig: 'myrig', name: 'nux', townRoot: '/home/ubuntu/gt', beadIds: ['gt-k3m9p'] },
  usage: { input: 52, output: 50, cacheRead: 1850, cacheWrite: 10 },
  messages: [userMessage, assistantCall, toolMessage, assistantAnswer],
  warnings: [{ file: 'x.jsonl', line: 7, kind: 'invalid-json', message: 'Unexpected token' }],
};

export const bashTool = {
  type: 'function' as const,
  function: {
    name: 'Bash',
    description: 'Run a shell command',
    parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
  },
};

/** The same tool as ChatMessagesRecord carries it: parameters serialized (one Arrow type across rows). */
export const bashChatTool = {
  type: 'function' as const,
  function: { ...bashTool.function, parameters: JSON.stringify(bashTool.function.parameters) },
};

const chat = (message: Partial<ChatMessage> & Pick<ChatMessage, 'role' | 'content'>): ChatMessage => ({
  reasoning_content: null,
  tool_calls: null,
  tool_call_id: null,
  name: null,
  train: false,
  ...message,
});

export const chatMessages: ChatMessage[] = [
  chat({ role: 'system', content: 'You are a coding agent.' }),
  chat({ role: 'user', content: 'utils.test.ts fails. Fix it.' }),
  chat({
    role: 'assistant',
    content: '',
    reasoning_content: 'Run the tests first.',
    tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'Bash', arguments: '{"command":"npm test"}' } }],
    train: true,
  }),
  chat({ role: 'tool', content: 'FAIL utils.test.ts: expected 3, got 2', tool_call_id: 'call_1', name: 'Bash' }),
  chat({ role: 'assistant', content: 'Fixed the off-by-one in `sum()`; tests pass.', train: true }),
];

/** A valid example of every published schema, by name. */
export const validExamples: Record<string, unknown> = {
  Session: session,
  Message: assistantCall,
  Usage: { input: 1, output: 2, cacheRead: 3, cacheWrite: 4 },
  GasTownContext: session.gastown,
  SessionWarning: { file: 'a.jsonl', line: 3, kind: 'truncated-line', message: 'last line cut off' },
  ShareGptRecord: {
    conversations: [
      { from: 'human', value: 'utils.test.ts fails. Fix it.' },
      { from: 'function_call', value: '<think>\nRun the tests first.\n</think>\n\n{"name": "Bash", "arguments": {"command": "npm test"}}' },
      { from: 'observation', value: 'FAIL utils.test.ts: expected 3, got 2' },
      { from: 'gpt', value: 'Fixed the off-by-one in `sum()`; tests pass.' },
    ],
    system: 'You are a coding agent.',
    tools: JSON.stringify([bashTool.function]),
  },
  LlamaFactoryDatasetInfoEntry: { file_name: 'train.jsonl', formatting: 'sharegpt', columns: { messages: 'conversations', system: 'system', tools: 'tools' } },
  OpenAiChatRecord: {
    messages: [
      { role: 'system', content: 'You are a coding agent.' },
      { role: 'user', content: 'utils.test.ts fails. Fix it.' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'Bash', arguments: '{"command":"npm test"}' } }], weight: 1 },
      { role: 'tool', tool_call_id: 'call_1', content: 'FAIL utils.test.ts: expected 3, got 2' },
      { role: 'assistant', content: 'Fixed the off-by-one in `sum()`; tests pass.', weight: 1 },
    ],
    tools: [bashTool],
    parallel_tool_calls: false,
  },
  ChatMessagesRecord: { messages: chatMessages, tools: [bashChatTool] },
  TrlDpoRecord: {
    prompt: chatMessages.slice(0, 4),
    chosen: [chatMessages[4]],
    rejected: [chat({ role: 'assistant', content: 'I deleted the failing test.', train: true })],
    tools: [bashTool],
  },
  OpenAiDpoRecord: {
    input: { messages: [{ role: 'user', content: 'utils.test.ts fails. Fix it.' }], tools: [], parallel_tool_calls: false },
    preferred_output: [{ role: 'assistant', content: 'Fixed the off-by-one.', weight: 1 }],
    non_preferred_output: [{ role: 'assistant', content: 'I deleted the failing test.', weight: 1 }],
  },
  DatasetManifest: {
    manifestVersion: 1,
    forgeVersion: '0.1.0',
    options: { sources: ['pir'] },
    inputs: [{ path: '/x.jsonl', source: 'pir', size: 10, fingerprint: 'sha256:ab' }],
    counts: {
      sessions: 1,
      sessionsBySource: { pir: 1 },
      sessionsByRole: { polecat: 1 },
      sessionsByModel: { 'claude-sonnet-4-5': 1 },
      messagesByRole: { user: 1, assistant: 2, tool: 1 },
      rowsByFormat: { sharegpt: { train: 1, validation: 0 } },
    },
    tokens: { counter: 'estimate', total: 100, mean: 100, p50: 100, p95: 100, max: 100 },
    redactions: { 'secretlint/aws': 1 },
    skipped: [{ kind: 'file', ref: '/y.jsonl', reason: 'empty file' }],
    formats: [{ format: 'openai', files: ['openai/train.jsonl'], notes: ['reasoning cannot be carried'] }],
    warnings: 0,
  },
};

/** An invalid example of every published schema, with the path the error must name. */
export const invalidExamples: Record<string, { value: unknown; path: string }> = {
  Session: { value: { ...session, source: 'cursor' }, path: 'source' },
  Message: { value: { ...assistantCall, reasoning: { state: 'thinking' } }, path: 'reasoning.state' },
  Usage: { value: { input: -1, output: 0, cacheRead: 0, cacheWrite: 0 }, path: 'input' },
  GasTownContext: { value: { role: 'mayor' }, path: 'beadIds' },
  SessionWarning: { value: { file: 'a', line: 0, kind: 'invalid-json', message: 'x' }, path: 'line' },
  ShareGptRecord: {
    value: { conversations: [{ from: 'human', value: 'a' }, { from: 'human', value: 'b' }], system: '', tools: '[]' },
    path: 'conversations',
  },
  LlamaFactoryDatasetInfoEntry: { value: { file_name: 'a', formatting: 'alpaca', columns: { messages: 'conversations' } }, path: 'formatting' },
  OpenAiChatRecord: {
    value: { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b', weight: 0.5 }], tools: [], parallel_tool_calls: false },
    path: 'messages.1.weight',
  },
  ChatMessagesRecord: { value: { messages: [{ ...chatMessages[1], train: 'yes' }, chatMessages[4]], tools: [] }, path: 'messages.0.train' },
  TrlDpoRecord: { value: { prompt: chatMessages.slice(0, 2), chosen: [], rejected: [chatMessages[4]], tools: [] }, path: 'chosen' },
  OpenAiDpoRecord: {
    value: {
      input: { messages: [{ role: 'user', content: 'a' }], tools: [], parallel_tool_calls: false },
      preferred_output: [{ role: 'user', content: 'b' }],
      non_preferred_output: [{ role: 'assistant', content: 'c', weight: 1 }],
    },
    path: 'preferred_output.0.role',
  },
  DatasetManifest: { value: { manifestVersion: 2 }, path: 'manifestVersion' },
};
