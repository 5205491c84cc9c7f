export { ForgeError, toForgeError } from './errors/forge-error.js';
export type { ErrorLocation, ForgeErrorOptions } from './errors/forge-error.js';
export { SchemaValidationError } from './errors/schema-validation-error.js';
export { createParsers } from './create-parsers.js';
export { isProcessAlive } from './process-alive.js';
export type { SafeParseResult } from './create-parsers.js';

export { usageSchema, parseUsage, safeParseUsage, emptyUsage, addUsage, usageTokens } from './usage.js';
export type { Usage } from './usage.js';
export { provenanceKinds, provenanceSchema, provenanceClass } from './provenance.js';
export type { Provenance, ProvenanceClass } from './provenance.js';
export {
  messageRoleSchema,
  reasoningSchema,
  toolCallSchema,
  toolResultSchema,
  attachmentSchema,
  messageSchema,
  parseMessage,
  safeParseMessage,
} from './message.js';
export type { MessageRole, Reasoning, ToolCall, ToolResult, Attachment, Message } from './message.js';
export {
  sessionWarningKinds,
  sessionWarningKindSchema,
  sessionWarningSchema,
  parseSessionWarning,
  safeParseSessionWarning,
} from './session-warning.js';
export type { SessionWarning, SessionWarningKind } from './session-warning.js';
export {
  gasTownRoles,
  gasTownRoleSchema,
  gasTownBeaconSchema,
  gasTownContextSchema,
  parseGasTownContext,
  safeParseGasTownContext,
} from './gastown.js';
export type { GasTownRole, GasTownBeacon, GasTownContext } from './gastown.js';
export { syntheticTagSchema, parseSyntheticTag, safeParseSyntheticTag } from './synthetic.js';
export type { SyntheticTag } from './synthetic.js';
export {
  forgeEntryTypes,
  capturedToolCallSchema,
  forgeTurnEntrySchema,
  forgeAgentEntrySchema,
  beadOperationSchema,
  forgeBeadsEntrySchema,
  sessionForgeEntriesSchema,
  parseForgeTurnEntry,
  safeParseForgeTurnEntry,
  parseForgeAgentEntry,
  safeParseForgeAgentEntry,
  parseForgeBeadsEntry,
  safeParseForgeBeadsEntry,
} from './forge-entries.js';
export type { ForgeEntryType, CapturedToolCall, ForgeTurnEntry, ForgeAgentEntry, BeadOperation, ForgeBeadsEntry, SessionForgeEntries } from './forge-entries.js';
export { SESSION_SCHEMA_VERSION, sessionSources, sessionSourceSchema, sessionSchema, parseSession, safeParseSession } from './session.js';
export type { Session, SessionSource } from './session.js';

export { toolDefinitionSchema, openAiToolCallSchema } from './records/tool-definition.js';
export type { ToolDefinition, OpenAiToolCall } from './records/tool-definition.js';
export {
  shareGptTurnSchema,
  shareGptRecordSchema,
  shareGptAlternationProblem,
  parseShareGptRecord,
  safeParseShareGptRecord,
  llamaFactoryDatasetInfoEntrySchema,
  parseLlamaFactoryDatasetInfoEntry,
  safeParseLlamaFactoryDatasetInfoEntry,
} from './records/sharegpt.js';
export type { ShareGptTurn, ShareGptRecord, LlamaFactoryDatasetInfoEntry } from './records/sharegpt.js';
export { openAiChatMessageSchema, openAiAssistantMessageSchema, openAiChatRecordSchema, parseOpenAiChatRecord, safeParseOpenAiChatRecord } from './records/openai-chat.js';
export type { OpenAiChatMessage, OpenAiChatRecord } from './records/openai-chat.js';
export {
  chatMessageSchema,
  chatToolDefinitionSchema,
  chatMessagesRecordSchema,
  parseChatMessagesRecord,
  safeParseChatMessagesRecord,
} from './records/chat-messages.js';
export type { ChatMessage, ChatToolDefinition, ChatMessagesRecord } from './records/chat-messages.js';
export {
  trlDpoRecordSchema,
  parseTrlDpoRecord,
  safeParseTrlDpoRecord,
  openAiDpoRecordSchema,
  parseOpenAiDpoRecord,
  safeParseOpenAiDpoRecord,
  trlKtoRecordSchema,
  parseTrlKtoRecord,
  safeParseTrlKtoRecord,
  shareGptRankingRecordSchema,
  parseShareGptRankingRecord,
  safeParseShareGptRankingRecord,
} from './records/dpo.js';
export type { TrlDpoRecord, OpenAiDpoRecord, TrlKtoRecord, ShareGptRankingRecord } from './records/dpo.js';
export { datasetFormatSchema, datasetManifestSchema, parseDatasetManifest, safeParseDatasetManifest } from './records/manifest.js';
export type { DatasetFormat, DatasetManifest } from './records/manifest.js';

export {
  OUTCOMES_VERSION,
  knownBeadStatuses,
  beadEventKinds,
  sourceRefSchema,
  mergeRequestSchema,
  beadSchema,
  beadEventSchema,
  beadsStoreSchema,
  townEventSchema,
  townSchema,
  commitSchema,
  repositorySchema,
  placeSchema,
  sessionFacetsSchema,
  outcomesSchema,
  parseOutcomes,
  safeParseOutcomes,
  commitPatchSchema,
} from './outcomes/outcomes.js';
export type {
  SourceRef,
  MergeRequest,
  Bead,
  BeadEvent,
  BeadsStore,
  TownEvent,
  Town,
  Commit,
  Repository,
  Place,
  SessionFacets,
  Outcomes,
  CommitPatch,
} from './outcomes/outcomes.js';
export {
  linkSignals,
  linkSignalSchema,
  linkEvidenceSchema,
  outcomeTiers,
  outcomeTierSchema,
  beadOutcomeSchema,
  commitOutcomeSchema,
  sessionOutcomeSchema,
  scoreSignalSchema,
  beadRoles,
  sessionLinksSchema,
  sessionScoreSchema,
  parseSessionScore,
  safeParseSessionScore,
} from './scoring/session-score.js';
export type {
  LinkSignal,
  LinkEvidence,
  OutcomeTier,
  BeadOutcome,
  CommitOutcome,
  SessionOutcome,
  ScoreSignal,
  SessionLinks,
  SessionScore,
} from './scoring/session-score.js';
export { verdictValues, verdictSchema, parseVerdict, safeParseVerdict } from './scoring/verdict.js';
export type { Verdict } from './scoring/verdict.js';
export { modelPriceSchema, modelPricesSchema, parseModelPrices, safeParseModelPrices } from './eval/model-prices.js';
export type { ModelPrice, ModelPrices } from './eval/model-prices.js';
export { scoringConfigSchema, parseScoringConfig, safeParseScoringConfig, defaultScoringConfig } from './scoring/scoring-config.js';
export type { ScoringConfig, ScoringConfigInput } from './scoring/scoring-config.js';
export { scoreSummarySchema, parseScoreSummary, safeParseScoreSummary } from './scoring/score-summary.js';
export type { ScoreSummary } from './scoring/score-summary.js';

export { publishedSchemas, renderJsonSchemas } from './json-schemas.js';
export { SCHEMA_PACKAGE_VERSION } from './version.js';
export { summarizeSession, summaryMessage } from './session-summary.js';
export type { SessionSummary } from './session-summary.js';
