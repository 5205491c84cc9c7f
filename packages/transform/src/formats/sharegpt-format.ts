import { parseShareGptRecord, type LlamaFactoryDatasetInfoEntry, type ShareGptRecord, type ShareGptTurn } from '@forge/schema';
import { type PreparedConversation, type PreparedTurn } from '../conversation/prepared-conversation.js';
import { rowPerWindow, toolDefinitionsNote, type DatasetFormat } from './dataset-format.js';

/**
 * Where assistant prose that comes with a tool call goes. LLaMA-Factory has no slot for it (a
 * `gpt` turn directly before a `function_call` breaks alternation, LF#9107): `think` moves it into
 * the call's think block, `drop` leaves it out.
 */
export type ShareGptTextWithToolCall = 'think' | 'drop';

/** Options of {@link toShareGptRecord}. */
export interface ShareGptOptions {
  textWithToolCall?: ShareGptTextWithToolCall;
}

function thinkBlock(thought: string): string {
  return thought.trim() === '' ? '' : `<think>\n${thought}\n</think>\n\n`;
}

function joinNonEmpty(parts: readonly string[]): string {
  return parts.filter((part) => part.trim() !== '').join('\n\n');
}

/** One model step (a run of assistant turns) as a `gpt` or `function_call` turn. */
function modelTurn(turns: readonly PreparedTurn[], options: ShareGptOptions): ShareGptTurn {
  const reasoning = joinNonEmpty(turns.map((turn) => (turn.reasoning.state === 'present' ? (turn.reasoning.text ?? '') : '')));
  const text = joinNonEmpty(turns.map((turn) => turn.text));
  const calls = turns.flatMap((turn) => turn.toolCalls).map((call) => ({ name: call.name, arguments: call.arguments }));
  if (calls.length === 0) return { from: 'gpt', value: `${thinkBlock(reasoning)}${text}` };
  const thought = (options.textWithToolCall ?? 'think') === 'think' ? joinNonEmpty([reasoning, text]) : reasoning;
  // LLaMA-Factory's FunctionFormatter reads a JSON list as parallel calls.
  const payload = calls.length === 1 ? calls[0] : calls;
  return { from: 'function_call', value: `${thinkBlock(thought)}${JSON.stringify(payload)}` };
}

/** One prompt step (user and tool turns between two model steps) as a `human` or `observation` turn. */
function promptTurn(turns: readonly PreparedTurn[]): ShareGptTurn {
  const results = turns.filter((turn) => turn.role === 'tool').map((turn) => turn.text);
  const userText = joinNonEmpty(turns.filter((turn) => turn.role === 'user').map((turn) => turn.text));
  if (results.length === 0) return { from: 'human', value: userText };
  // Parallel results become one observation: a JSON list in call order, like the function_call list.
  const observation = results.length === 1 ? results[0]! : JSON.stringify(results);
  return { from: 'observation', value: joinNonEmpty([observation, userText]) };
}

/**
 * A LLaMA-Factory `sharegpt` row that obeys its strict alternation (human/observation at odd
 * positions, gpt/function_call at even ones, ending on the model side): runs of assistant turns
 * become one step, parallel calls one `function_call` holding a JSON list, their results one
 * `observation`. Reasoning is inlined as `<think>\n…\n</think>\n\n`; a hollow reasoning gets no
 * think block at all. `tools` is a JSON string of `{name, description?, parameters}` (empty when none).
 */
export function toShareGptRecord(conversation: PreparedConversation, options: ShareGptOptions = {}): ShareGptRecord {
  const conversations: ShareGptTurn[] = [];
  let run: PreparedTurn[] = [];
  const flush = () => {
    if (run.length === 0) return;
    conversations.push(run[0]!.role === 'assistant' ? modelTurn(run, options) : promptTurn(run));
    run = [];
  };
  for (const turn of conversation.turns) {
    const side = turn.role === 'assistant' ? 'model' : 'prompt';
    const runSide = run.length === 0 ? side : run[0]!.role === 'assistant' ? 'model' : 'prompt';
    if (side !== runSide) flush();
    run.push(turn);
  }
  flush();
  const tools = conversation.tools.map((tool) => ({
    name: tool.function.name,
    ...(tool.function.description == null ? {} : { description: tool.function.description }),
    parameters: tool.function.parameters,
  }));
  return { conversations, system: conversation.system, tools: tools.length === 0 ? '' : JSON.stringify(tools) };
}

/**
 * The `dataset_info.json` entries for a ShareGPT dataset: `<name>_train` and `<name>_validation`,
 * `file_name` relative to the folder passed to LLaMA-Factory as `dataset_dir`.
 */
export function shareGptDatasetInfo(
  name: string,
  files: { train: string; validation: string },
): Record<string, LlamaFactoryDatasetInfoEntry> {
  const entry = (fileName: string): LlamaFactoryDatasetInfoEntry => ({
    file_name: fileName,
    formatting: 'sharegpt',
    columns: { messages: 'conversations', system: 'system', tools: 'tools' },
    tags: { role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt', observation_tag: 'observation', function_tag: 'function_call' },
  });
  return { [`${name}_train`]: entry(files.train), [`${name}_validation`]: entry(files.validation) };
}

/** LLaMA-Factory `sharegpt`: rows, the `dataset_info.json` entries that load them, and what the format cannot carry. */
export const sharegptFormat: DatasetFormat<'sharegpt'> = {
  name: 'sharegpt',
  parquetColumns: { conversations: 'STRUCT("from" VARCHAR, "value" VARCHAR)[]', system: 'VARCHAR', tools: 'VARCHAR' },
  perWindow: true,
  sessionRows: rowPerWindow((window, options) => JSON.stringify(parseShareGptRecord(toShareGptRecord(window, options.shareGpt)))),
  notes: (facts, options) => [
    'reasoning is inlined as <think>…</think> blocks',
    `${facts.hollowReasoningTurns} assistant turns had hollow reasoning: they carry no think block, and sharegpt cannot mask single turns (train with enable_thinking: false, or use the messages format)`,
    (options.shareGpt?.textWithToolCall ?? 'think') === 'think'
      ? 'assistant text that comes with a tool call is moved into that call\'s think block (LLaMA-Factory has no slot for it)'
      : 'assistant text that comes with a tool call is left out (LLaMA-Factory has no slot for it)',
    'parallel tool calls are one function_call holding a JSON list; their results are one observation holding a JSON list of strings',
    toolDefinitionsNote(facts),
  ],
  sidecars: (files, options) => [{ path: 'dataset_info.json', json: shareGptDatasetInfo(options.datasetName, files) }],
};
