import type { Outcomes } from '../outcomes/outcomes.js';
import type { ScoreSummary } from '../scoring/score-summary.js';
import type { ScoringConfig } from '../scoring/scoring-config.js';
import type { SessionScore } from '../scoring/session-score.js';
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

const s1Evidence = { signal: 'beacon' as const, detail: 'assigned:gt-k3m9p', file: '/home/dev/.claude/projects/-home-dev-gt-gastown-polecats-nux-gastown/15b2db23-256a-4bd0-920e-e73fd02de97d.jsonl', messageIndex: 0, sourceId: 'a1' };

export const sessionScore: SessionScore = {
  sessionId: '15b2db23-256a-4bd0-920e-e73fd02de97d',
  source: 'claude-code',
  file: s1Evidence.file,
  score: 0.93,
  outcomeKnown: true,
  outcome: {
    beads: [
      { id: 'gt-k3m9p', status: 'closed', attempts: 1, firstTry: true, reopened: false, redispatched: false, noChanges: false, merged: true, attempt: 1, tier: 'first-try', evidence: [s1Evidence] },
    ],
    commits: [
      { sha: 'a5628b1b3600687ea86307eaf528b4888cd8bafe', subject: 'fix(witness): skip duplicate idle nudges within one patrol cycle (gt-k3m9p)', landed: true, beads: ['gt-k3m9p'], additions: 85, deletions: 10, evidence: [{ signal: 'commit-subject', detail: '(gt-k3m9p)', commit: 'a5628b1b3600687ea86307eaf528b4888cd8bafe' }] },
    ],
    codeSurvival: 0.92,
  },
  signals: {
    outcome: { value: 'first-try', score: 1, weight: 0.6, reason: 'gt-k3m9p closed on the first attempt' },
    toolErrors: { value: 0, score: 1, weight: 1, reason: 'no failed tool call in 14' },
  },
  reasons: ['gt-k3m9p closed on the first attempt and merged'],
  links: { identity: 'gastown/polecats/nux', beads: [{ id: 'gt-k3m9p', role: 'worked', evidence: [s1Evidence] }], segments: [{ beadId: 'gt-k3m9p', from: 0, to: 30 }] },
};

export const defaultScoringConfigExample: ScoringConfig = {
  weights: { outcome: 0.6, heuristics: 0.4 },
  tiers: { firstTry: 1, noChanges: 0.75, rework: 0.6, reopened: 0.15, redispatched: 0.2, abandoned: 0.1 },
  codeSurvival: 0.3,
  heuristics: { toolErrors: 1, completion: 1, context: 0.5, validation: 1, corrections: 1, facets: 0.5 },
  thinkingBoost: 0.05,
  verdicts: { good: 1, bad: 0 },
  commitWindowMinutes: 30,
  review: { threshold: 0.5, margin: 0.15 },
};

export const scoreSummary: ScoreSummary = {
  sessions: 2,
  scoreDistribution: {
    buckets: [
      { from: 0, to: 0.1, count: 0 },
      { from: 0.9, to: 1, count: 2 },
    ],
    mean: 0.95,
    p50: 0.95,
    min: 0.93,
    max: 0.97,
  },
  outcomeKnown: 2,
  outcomeUnknown: 0,
  beadOutcomes: { 'first-try': 2 },
  linkageEvidence: { beacon: 2, 'commit-subject': 2 },
  verdicts: {},
};

export const outcomes: Outcomes = {
  outcomesVersion: 1,
  stores: [
    {
      dir: '/home/dev/gt/gastown/mayor/rig/.beads',
      origin: 'files',
      prefixes: ['gt'],
      beads: [
        { id: 'gt-k3m9p', title: 'Witness sends duplicate idle nudges', status: 'closed', labels: ['witness'], dependencies: [], closeReason: 'Merged in gt-wisp-m7x3p', source: { file: '/home/dev/gt/gastown/mayor/rig/.beads/issues.jsonl', line: 3 } },
      ],
      events: [
        { issueId: 'gt-k3m9p', kind: 'status', actor: 'gastown/polecats/nux', at: '2026-04-15T09:01:20.000Z', from: 'hooked', to: 'in_progress', origin: 'events', source: { file: '/home/dev/gt/gastown/mayor/rig/.beads/backup/events.jsonl', line: 20 } },
      ],
    },
  ],
  towns: [{ root: '/home/dev/gt', events: [], routes: [{ prefix: 'gt-', path: '/home/dev/gt/gastown/mayor/rig' }] }],
  repositories: [],
  places: [{ cwd: '/home/dev/gt/gastown/polecats/nux/gastown', beadsStore: '/home/dev/gt/gastown/mayor/rig/.beads', town: '/home/dev/gt' }],
  facets: [],
  warnings: [],
};


/** A valid example of every published schema, by name. */
export const validExamples: Record<string, unknown> = {
  Session: session,
  Message: assistantCall,
  Usage: { input: 1, output: 2, cacheRead: 3, cacheWrite: 4, cost: 0.0123 },
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
  TrlKtoRecord: { prompt: chatMessages.slice(0, 2), completion: chatMessages.slice(2), label: true, tools: [bashTool] },
  ShareGptRankingRecord: {
    conversations: [{ from: 'human', value: 'utils.test.ts fails. Fix it.' }],
    chosen: { from: 'gpt', value: 'Fixed the off-by-one in `sum()`.' },
    rejected: { from: 'gpt', value: 'I deleted the failing test.' },
    system: '',
    tools: '[]',
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
  SessionScore: sessionScore,
  Verdict: { sessionId: '15b2db23-256a-4bd0-920e-e73fd02de97d', verdict: 'good', by: 'gastown/witness', note: 'clean fix', at: '2026-04-15T10:00:00.000Z' },
  ScoringConfig: defaultScoringConfigExample,
  ModelPrices: { 'claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }, 'kimi-k2': { input: 0.6, output: 2.5 } },
  ScoreSummary: scoreSummary,
  Outcomes: outcomes,
  CommitPatch: { sha: 'a5628b1b3600687ea86307eaf528b4888cd8bafe', files: [{ path: 'internal/witness/handlers.go', additions: 2, deletions: 1, addedLines: ['\tif nudged[s] {', '\t\tcontinue'] }] },
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
  TrlKtoRecord: { value: { prompt: chatMessages.slice(0, 2), completion: chatMessages.slice(2), label: 'good', tools: [] }, path: 'label' },
  ShareGptRankingRecord: {
    value: { conversations: [{ from: 'human', value: 'a' }], chosen: { from: 'human', value: 'b' }, rejected: { from: 'gpt', value: 'c' }, system: '', tools: '[]' },
    path: 'chosen.from',
  },
  DatasetManifest: { value: { manifestVersion: 2 }, path: 'manifestVersion' },
  SessionScore: { value: { ...sessionScore, score: 1.5 }, path: 'score' },
  Verdict: { value: { sessionId: 'x', verdict: 'great' }, path: 'verdict' },
  ScoringConfig: { value: { weights: { outcome: -1 } }, path: 'weights.outcome' },
  ModelPrices: { value: { 'kimi-k2': { input: -0.6, output: 2.5 } }, path: 'kimi-k2.input' },
  ScoreSummary: { value: { ...scoreSummary, outcomeKnown: -1 }, path: 'outcomeKnown' },
  Outcomes: { value: { ...outcomes, outcomesVersion: 2 }, path: 'outcomesVersion' },
  CommitPatch: { value: { sha: 'a', files: [{ path: 'x', additions: -1, deletions: 0, addedLines: [] }] }, path: 'files.0.additions' },
};

