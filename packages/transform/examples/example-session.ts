// The session both examples use: what a reader (@forge/extract-pir, @forge/extract-claude) gives.
import { parseSession } from '@forge/schema';

// A GitHub-token-shaped fake, assembled so no secret-shaped literal sits in the repository.
const fakeToken = ['ghp', 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx'].join('_');

export const session = parseSession({
  schemaVersion: 1,
  id: 'demo-1',
  source: 'pir',
  files: ['/home/alice/.pi/agent/sessions/demo-1.jsonl'],
  cwd: '/home/alice/src/app',
  startedAt: '2026-11-20T10:00:00.000Z',
  endedAt: '2026-11-20T10:01:00.000Z',
  models: ['gpt-5-codex'],
  branch: { leafId: 'e4', isActive: true },
  isSubagent: false,
  usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  warnings: [],
  messages: [
    { role: 'user', text: `Run the tests. My token is ${fakeToken}`, reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation' },
    {
      role: 'assistant',
      text: '',
      reasoning: { state: 'present', text: 'Run npm test.' },
      toolCalls: [{ id: 'c1', name: 'bash', arguments: '{"command":"npm test"}' }],
      provenance: 'conversation',
    },
    {
      role: 'tool',
      text: '',
      reasoning: { state: 'absent' },
      toolCalls: [],
      provenance: 'conversation',
      toolResult: { toolCallId: 'c1', toolName: 'bash', isError: false, text: 'PASS /home/alice/src/app/sum.test.ts' },
    },
    { role: 'assistant', text: 'All tests pass.', reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation' },
  ],
});
