import { parseOpenAiDpoRecord, type OpenAiDpoRecord } from '@forge/schema';
import { type PreparedTurn } from '../conversation/prepared-conversation.js';
import { type PairConversation } from '../pairs/split-pair.js';
import { type DatasetFormat } from './dataset-format.js';
import { toOpenAiChatRecord } from './openai-format.js';
import { preferenceRowOf } from './preference-format.js';

function singleAssistantMessage(pair: PairConversation, turns: readonly PreparedTurn[], side: string): OpenAiDpoRecord['preferred_output'][number] {
  const [message, ...rest] = toOpenAiChatRecord({ ...pair.prompt, system: '', turns: [...turns] }).messages;
  if (message?.role !== 'assistant' || rest.length > 0) throw new Error(`skipped: the ${side} side is ${turns.length} turns, and OpenAI preference fine-tuning takes one assistant message per side`);
  return { ...message, weight: 1 };
}

/** An OpenAI preference fine-tuning row; throws (the pair is reported skipped) unless each side is one assistant message. */
export function toOpenAiDpoRecord(pair: PairConversation): OpenAiDpoRecord {
  const input = toOpenAiChatRecord(pair.prompt);
  return {
    input: { messages: input.messages, tools: input.tools, parallel_tool_calls: input.parallel_tool_calls },
    preferred_output: [singleAssistantMessage(pair, pair.chosen, 'chosen')],
    non_preferred_output: [singleAssistantMessage(pair, pair.rejected, 'rejected')],
  };
}

/** OpenAI preference fine-tuning (`input`, `preferred_output`, `non_preferred_output`): only pairs that diverge in one assistant message. */
export const dpoOpenaiFormat: DatasetFormat<'dpo-openai'> = {
  name: 'dpo-openai',
  sessionRows: () => [],
  preferenceRow: preferenceRowOf((item) => (item.kind === 'pair' ? JSON.stringify(parseOpenAiDpoRecord(toOpenAiDpoRecord(item.conversation))) : undefined)),
  notes: () => ['only pairs whose sides are one assistant message each qualify; the others are listed as skipped', 'reasoning cannot be carried and is left out'],
  sidecars: () => [],
};
