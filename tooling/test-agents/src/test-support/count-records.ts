import { readJsonlRecords } from '../session-files.js';
import { sumUsage, type ScenarioExpectation } from '../scenarios.js';
import { type TurnUsage } from '../stub-model/types.js';

/** Counts over one session file, read with plain JSON (tests only: not a parser): what a scenario expects, and more. */
export interface RecordCounts extends ScenarioExpectation {
  /** Assistant message/response ids in file order. */
  responseIds: string[];
}

type Json = Record<string, unknown>;
const blocksOf = (content: unknown): Json[] => (Array.isArray(content) ? (content as Json[]) : []);

/** pi / omp: `message` entries with role user / assistant / toolResult. */
export async function countPiRecords(file: string): Promise<RecordCounts> {
  const messages = (await readJsonlRecords(file))
    .filter((record) => record.type === 'message')
    .map((record) => record.message as Json);
  const assistants = messages.filter((message) => message.role === 'assistant');
  return {
    userPrompts: messages.filter((message) => message.role === 'user').length,
    assistantMessages: assistants.length,
    toolCalls: assistants.flatMap((message) => blocksOf(message.content)).filter((block) => block.type === 'toolCall').length,
    toolErrors: messages.filter((message) => message.role === 'toolResult' && message.isError === true).length,
    thinkingBlocks: assistants.flatMap((message) => blocksOf(message.content)).filter((block) => block.type === 'thinking').length,
    usage: sumUsage(
      assistants.map((message) => {
        const usage = message.usage as TurnUsage;
        return { input: usage.input, output: usage.output, cacheRead: usage.cacheRead, cacheWrite: usage.cacheWrite };
      }),
    ),
    responseIds: assistants.map((message) => String(message.responseId)),
  };
}

/**
 * Claude Code: one line per content block sharing `message.id`; usage is taken once per id
 * (from its last line), never summed over lines.
 */
export async function countClaudeRecords(file: string): Promise<RecordCounts> {
  const records = await readJsonlRecords(file);
  const users = records.filter((record) => record.type === 'user' && record.isMeta !== true);
  const assistantLines = records.filter((record) => record.type === 'assistant');
  const lastLineById = new Map<string, Json>();
  for (const line of assistantLines) lastLineById.set(String((line.message as Json).id), line.message as Json);
  const assistantBlocks = assistantLines.flatMap((line) => blocksOf((line.message as Json).content));
  const userBlocks = users.flatMap((record) => blocksOf((record.message as Json).content));
  return {
    userPrompts: users.filter((record) => {
      const content = (record.message as Json).content;
      return typeof content === 'string' || blocksOf(content).some((block) => block.type === 'text');
    }).length,
    assistantMessages: lastLineById.size,
    toolCalls: assistantBlocks.filter((block) => block.type === 'tool_use').length,
    toolErrors: userBlocks.filter((block) => block.type === 'tool_result' && block.is_error === true).length,
    thinkingBlocks: assistantBlocks.filter((block) => block.type === 'thinking').length,
    usage: sumUsage(
      [...lastLineById.values()].map((message) => {
        const usage = message.usage as Json;
        return {
          input: Number(usage.input_tokens ?? 0),
          output: Number(usage.output_tokens ?? 0),
          cacheRead: Number(usage.cache_read_input_tokens ?? 0),
          cacheWrite: Number(usage.cache_creation_input_tokens ?? 0),
        };
      }),
    ),
    responseIds: [...lastLineById.keys()],
  };
}
