// @forge/transform: forge Sessions to trainer-ready datasets. The CLI composes it; it has no argv and no console.

export { createDatasetBuilder, exportSession, defaultSessionScore, emittedFormats } from './dataset-builder.js';
export type {
  AddSessionResult,
  DatasetBuilder,
  DatasetBuilderOptions,
  DatasetBuildResult,
  DatasetWriter,
  EmittedFormat,
  ExportSessionOptions,
  FormatLines,
  SessionScorer,
  TransformManifest,
} from './dataset-builder.js';

export { prepareConversation, normalizeTurns } from './conversation/prepare-conversation.js';
export type { NoisePolicy, PrepareConversationOptions, PrepareConversationResult, PrepareConversationStats } from './conversation/prepare-conversation.js';
export type { PreparedConversation, PreparedToolCall, PreparedToolResult, PreparedTurn } from './conversation/prepared-conversation.js';
export { inferToolDefinitions, resolveToolDefinitions } from './conversation/infer-tool-definitions.js';

export { toShareGptRecord, shareGptDatasetInfo } from './emit/sharegpt.js';
export type { ShareGptOptions, ShareGptTextWithToolCall } from './emit/sharegpt.js';
export { toOpenAiChatRecord } from './emit/openai-chat.js';
export { toChatMessagesRecord } from './emit/chat-messages.js';
export { axolotlDatasetYaml } from './emit/axolotl-yaml.js';
export type { AxolotlYamlOptions } from './emit/axolotl-yaml.js';

export { createRedactor } from './redact/redactor.js';
export type { RedactionCounts, RedactionOptions, Redactor } from './redact/redactor.js';
export { RedactionError } from './redact/redaction-error.js';
export type { RedactionErrorCode } from './redact/redaction-error.js';
export { redactionConfigSchema, resolveRedactionConfig } from './redact/redaction-config.js';
export type { RedactionConfig, ResolveRedactionConfigContext } from './redact/redaction-config.js';
export { auditDataset } from './redact/audit-dataset.js';
export type { AuditFinding, AuditReport, AuditWarning } from './redact/audit-dataset.js';
export { secretlintRuleNames } from './redact/secretlint-scanner.js';
export { keyFormatNames } from './redact/key-formats.js';

export type { DedupOptions } from './dedup/duplicate-finder.js';
export { defaultMinHashParameters } from './dedup/minhash.js';
export type { MinHashParameters } from './dedup/minhash.js';

export { createEstimateTokenCounter, loadTokenizerJsonCounter } from './tokens/token-counter.js';
export type { TokenCounter, TokenizerJsonOptions } from './tokens/token-counter.js';
export { fitTokenBudget } from './length/token-windows.js';
export type { OverBudgetPolicy, TokenBudgetOptions, TokenWindow, TokenWindowDrop } from './length/token-windows.js';

export type { DatasetSplit } from './split/assign-split.js';
