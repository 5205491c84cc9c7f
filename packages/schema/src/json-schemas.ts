import { z } from 'zod';
import { chatMessagesRecordSchema } from './records/chat-messages.js';
import { openAiDpoRecordSchema, shareGptRankingRecordSchema, trlDpoRecordSchema, trlKtoRecordSchema } from './records/dpo.js';
import { datasetManifestSchema } from './records/manifest.js';
import { openAiChatRecordSchema } from './records/openai-chat.js';
import { llamaFactoryDatasetInfoEntrySchema, shareGptRecordSchema } from './records/sharegpt.js';
import { gasTownContextSchema } from './gastown.js';
import { messageSchema } from './message.js';
import { sessionWarningSchema } from './session-warning.js';
import { sessionSchema } from './session.js';
import { commitPatchSchema, outcomesSchema } from './outcomes/outcomes.js';
import { scoreSummarySchema } from './scoring/score-summary.js';
import { scoringConfigSchema } from './scoring/scoring-config.js';
import { sessionScoreSchema } from './scoring/session-score.js';
import { verdictSchema } from './scoring/verdict.js';
import { usageSchema } from './usage.js';
import { modelPricesSchema } from './eval/model-prices.js';

/** The schemas published as JSON Schema files, by file name. */
export const publishedSchemas = {
  Session: sessionSchema,
  Message: messageSchema,
  Usage: usageSchema,
  GasTownContext: gasTownContextSchema,
  SessionWarning: sessionWarningSchema,
  ShareGptRecord: shareGptRecordSchema,
  LlamaFactoryDatasetInfoEntry: llamaFactoryDatasetInfoEntrySchema,
  OpenAiChatRecord: openAiChatRecordSchema,
  ChatMessagesRecord: chatMessagesRecordSchema,
  TrlDpoRecord: trlDpoRecordSchema,
  OpenAiDpoRecord: openAiDpoRecordSchema,
  TrlKtoRecord: trlKtoRecordSchema,
  ShareGptRankingRecord: shareGptRankingRecordSchema,
  DatasetManifest: datasetManifestSchema,
  SessionScore: sessionScoreSchema,
  Verdict: verdictSchema,
  ScoringConfig: scoringConfigSchema,
  ScoreSummary: scoreSummarySchema,
  Outcomes: outcomesSchema,
  CommitPatch: commitPatchSchema,
  ModelPrices: modelPricesSchema,
} as const;

/**
 * The JSON Schema (draft 2020-12) of every published schema, as the text written to
 * `json-schema/<Name>.json`. Custom refinements (ShareGPT alternation) cannot be expressed and are
 * described instead.
 */
export function renderJsonSchemas(): Record<string, string> {
  const rendered: Record<string, string> = {};
  for (const [name, schema] of Object.entries(publishedSchemas)) {
    const jsonSchema = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' });
    rendered[name] = `${JSON.stringify({ $id: `https://forge.dev/schema/${name}.json`, title: name, ...jsonSchema }, null, 2)}\n`;
  }
  return rendered;
}
