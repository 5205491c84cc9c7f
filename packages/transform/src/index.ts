// @forge/transform: forge Sessions to trainer-ready datasets. The CLI composes it; it has no argv and no console.

export { createBuilderProcessor, createDatasetBuilder, exportSession } from './dataset-builder.js';
export type { DatasetBuilder, DatasetBuilderOptions, ExportSessionOptions } from './dataset-builder.js';
export { createThreadRowSpill } from './row-store.js';
export type { RowReference, ThreadRowSpill } from './row-store.js';

// The per-session path and the merge step the builder composes (the per-session path may run in a worker).
export { createSessionProcessor } from './session/process-session.js';
export type { PreferenceLabels, ProcessedSession, RowLabels, SessionFacts, SessionHead, SessionLabels, SessionPasses, SessionProcessor, SessionProcessorOptions, SkippedItem } from './session/process-session.js';
export { createDatasetMerger } from './merge/dataset-merger.js';
export type { AddSessionResult, BuiltDataset, DatasetMerger, DatasetMergerOptions, DatasetRow, FormatLines, KeptSession, LateLabels, MergedSession, TransformManifest } from './merge/dataset-merger.js';

// Shards: processed sessions as lines, so one dataset can be built on several machines and merged.
export { decodeLateLabels, decodeProcessedSession, encodeLateLabels, encodeProcessedSession } from './shard/processed-session-codec.js';

// Writing: the dataset's file layout, its manifest, and replacing a folder whole.
export { writeDataset } from './output/write-dataset.js';
export type { DatasetOutputOptions } from './output/write-dataset.js';
export { defaultParquetShardBytes, writeParquetShards } from './output/write-parquet.js';
export type { ParquetShardOptions } from './output/write-parquet.js';
export { datasetCard, formatDataFiles } from './output/dataset-card.js';
export { datasetReportHtml, writeDatasetReport } from './output/dataset-report.js';
export { summarizeManifest } from './output/dataset-summary.js';
export type { DatasetSummary, SummaryCounts } from './output/dataset-summary.js';
export { createDatasetManifest } from './output/dataset-manifest.js';
export type { DatasetRunFacts } from './output/dataset-manifest.js';
export { defaultDatasetFilePath } from './output/dataset-layout.js';
export { removeAbandonedFolders, writeFolderAtomically } from './output/write-folder-atomically.js';

// Formats: one module each, registered in format-registry.ts.
export { datasetFormats, formatNames, resolveFormats } from './formats/format-registry.js';
export type { FormatName } from './formats/format-registry.js';
export { toolDefinitionsNote, rowPerWindow } from './formats/dataset-format.js';
export type { DatasetFormat, FormatFiles, FormatNoteFacts, FormatOptions, FormatRow, FormatSessionInput, NestedRow, SidecarFile } from './formats/dataset-format.js';
export { atifFormat, atifSchemaVersion, nestAtifSubagents, relabelAtifTrajectory, toAtifTrajectory } from './formats/atif-format.js';
export type { AtifMetrics, AtifObservationResult, AtifStep, AtifToolCall, AtifTrajectory } from './formats/atif-format.js';
export { sharegptFormat, toShareGptRecord, shareGptDatasetInfo } from './formats/sharegpt-format.js';
export type { ShareGptOptions, ShareGptTextWithToolCall } from './formats/sharegpt-format.js';
export { openaiFormat, toOpenAiChatRecord } from './formats/openai-format.js';
export { messagesFormat, toChatMessagesRecord, axolotlDatasetYaml } from './formats/messages-format.js';
export type { AxolotlYamlOptions } from './formats/messages-format.js';

export type { PreferenceItem } from './formats/dataset-format.js';
export { dpoTrlFormat, toTrlDpoRecord, axolotlDpoYaml } from './formats/dpo-trl-format.js';
export { dpoSharegptFormat, toShareGptRankingRecord, shareGptRankingDatasetInfo } from './formats/dpo-sharegpt-format.js';
export { dpoOpenaiFormat, toOpenAiDpoRecord } from './formats/dpo-openai-format.js';
export { ktoFormat, toTrlKtoRecord } from './formats/kto-format.js';

// Preference data: which sessions pair (pure, from scores), and how two conversations split into prompt and sides.
export { planPairs, defaultMinMargin, defaultPairBy, pairByChoices } from './pairs/plan-pairs.js';
export type { PairBy, PairCandidate, PairKind, PairNote, PairPlan, PairSide, PlanPairsOptions, PlannedPair, PlannedSingle } from './pairs/plan-pairs.js';
export { splitPair } from './pairs/split-pair.js';
export type { PairConversation } from './pairs/split-pair.js';
// Checking a model's chat template against messages rows.
export { checkChatTemplate, loadChatTemplate, readTemplateRows } from './template/check-chat-template.js';
export type { ChatTemplate, TemplateCheckReport, TemplateLoss, TemplateLossField, TemplateRowInput, TemplateRowReport } from './template/check-chat-template.js';

export { TransformError } from './transform-error.js';
export type { TransformErrorCode } from './transform-error.js';

export { ConversationStream, prepareConversation, normalizeTurns } from './conversation/prepare-conversation.js';
export type { NoisePolicy, SystemPromptPolicy, PrepareConversationOptions, PrepareConversationResult, PrepareConversationStats } from './conversation/prepare-conversation.js';
export type { PreparedConversation, PreparedToolCall, PreparedToolResult, PreparedTurn } from './conversation/prepared-conversation.js';
export { inferToolDefinitions, resolveToolDefinitions } from './conversation/infer-tool-definitions.js';
export type { ToolDefinitionOrigins } from './conversation/infer-tool-definitions.js';

export { createRedactor } from './redact/redactor.js';
export type { RedactionCounts, RedactionOptions, Redactor, SessionRedaction } from './redact/redactor.js';
export { RedactionError } from './redact/redaction-error.js';
export type { RedactionErrorCode } from './redact/redaction-error.js';
export { redactionConfigSchema, resolveRedactionConfig } from './redact/redaction-config.js';
export type { RedactionConfig, ResolveRedactionConfigContext } from './redact/redaction-config.js';
export { auditDataset } from './redact/audit-dataset.js';
export type { AuditFinding, AuditReport, AuditWarning } from './redact/audit-dataset.js';
export { secretlintRuleNames } from './redact/secretlint-scanner.js';
export { keyFormatNames } from './redact/key-formats.js';

export type { DedupOptions, DuplicateSignature } from './dedup/duplicate-finder.js';
export { defaultMinHashParameters } from './dedup/minhash.js';
export type { MinHashParameters } from './dedup/minhash.js';

export { createEstimateTokenCounter, loadTokenizerJsonCounter } from './tokens/token-counter.js';
export type { TokenCounter, TokenizerJsonOptions } from './tokens/token-counter.js';
export { fitTokenBudget, TokenWindows } from './length/token-windows.js';
export type { OverBudgetPolicy, TokenBudgetOptions, TokenWindow, TokenWindowDrop } from './length/token-windows.js';

export type { DatasetSplit } from './split/assign-split.js';
