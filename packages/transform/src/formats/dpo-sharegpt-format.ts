import { parseShareGptRankingRecord, type LlamaFactoryDatasetInfoEntry, type ShareGptRankingRecord } from '@forge/schema';
import { type PreparedTurn } from '../conversation/prepared-conversation.js';
import { type PairConversation } from '../pairs/split-pair.js';
import { type DatasetFormat, type FormatOptions } from './dataset-format.js';
import { preferenceRowOf } from './preference-format.js';
import { toShareGptRecord } from './sharegpt-format.js';

function modelTurnOf(pair: PairConversation, turns: readonly PreparedTurn[], side: string, options: FormatOptions): ShareGptRankingRecord['chosen'] {
  const [turn, ...rest] = toShareGptRecord({ ...pair.prompt, turns: [...turns] }, options.shareGpt).conversations;
  if ((turn?.from !== 'gpt' && turn?.from !== 'function_call') || rest.length > 0) {
    throw new Error(`skipped: the ${side} side is more than one model step, and a LLaMA-Factory ranking row takes one model turn per side`);
  }
  return { from: turn.from, value: turn.value };
}

/** A LLaMA-Factory sharegpt ranking row; throws (the pair is reported skipped) unless each side is one model step. */
export function toShareGptRankingRecord(pair: PairConversation, options: FormatOptions): ShareGptRankingRecord {
  const prompt = toShareGptRecord(pair.prompt, options.shareGpt);
  return { conversations: prompt.conversations, chosen: modelTurnOf(pair, pair.chosen, 'chosen', options), rejected: modelTurnOf(pair, pair.rejected, 'rejected', options), system: prompt.system, tools: prompt.tools };
}

/** The `dataset_info.json` entries of the ranking rows: `<name>_dpo_train`, `<name>_dpo_validation` with `ranking: true`. */
export function shareGptRankingDatasetInfo(name: string, files: { train: string; validation: string }): Record<string, LlamaFactoryDatasetInfoEntry> {
  const entry = (fileName: string): LlamaFactoryDatasetInfoEntry => ({
    file_name: fileName,
    formatting: 'sharegpt',
    ranking: true,
    columns: { messages: 'conversations', chosen: 'chosen', rejected: 'rejected', system: 'system', tools: 'tools' },
    tags: { role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt', observation_tag: 'observation', function_tag: 'function_call' },
  });
  return { [`${name}_dpo_train`]: entry(files.train), [`${name}_dpo_validation`]: entry(files.validation) };
}

/** LLaMA-Factory sharegpt ranking rows (`ranking: true`) and their dataset_info.json entries. */
export const dpoSharegptFormat: DatasetFormat<'dpo-sharegpt'> = {
  name: 'dpo-sharegpt',
  sessionRows: () => [],
  preferenceRow: preferenceRowOf((item, options) => (item.kind === 'pair' ? JSON.stringify(parseShareGptRankingRecord(toShareGptRankingRecord(item.conversation, options))) : undefined)),
  notes: () => ['only pairs whose sides are one model step each (one gpt or function_call turn) qualify; the others are listed as skipped', 'reasoning is inlined as <think>…</think> blocks'],
  sidecars: (files, options) => [{ path: 'dataset_info.json', json: shareGptRankingDatasetInfo(options.datasetName, files) }],
};
