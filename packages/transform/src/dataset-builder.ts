import {
  ForgeError,
  parseChatMessagesRecord,
  parseOpenAiChatRecord,
  parseShareGptRecord,
  type DatasetManifest,
  type LlamaFactoryDatasetInfoEntry,
  type Session,
  type ToolDefinition,
} from '@forge/schema';
import xxhash, { type XXHashAPI } from 'xxhash-wasm';
import { compareStrings } from './conversation/infer-tool-definitions.js';
import { prepareConversation, type NoisePolicy, type PrepareConversationStats } from './conversation/prepare-conversation.js';
import { type PreparedConversation } from './conversation/prepared-conversation.js';
import { DuplicateFinder, type DedupOptions } from './dedup/duplicate-finder.js';
import { axolotlDatasetYaml } from './emit/axolotl-yaml.js';
import { toChatMessagesRecord } from './emit/chat-messages.js';
import { toOpenAiChatRecord } from './emit/openai-chat.js';
import { shareGptDatasetInfo, toShareGptRecord, type ShareGptOptions } from './emit/sharegpt.js';
import { fitTokenBudget, type TokenBudgetOptions } from './length/token-windows.js';
import { createRedactor, RedactionError, type RedactionCounts, type RedactionOptions } from './redact/redactor.js';
import { assignSplit, type DatasetSplit } from './split/assign-split.js';
import { createFileRowStore, createMemoryRowStore, type RowReference } from './row-store.js';
import { createEstimateTokenCounter, type TokenCounter } from './tokens/token-counter.js';

/** The formats this package emits (DPO formats come from elsewhere). */
export const emittedFormats = ['sharegpt', 'openai', 'messages'] as const;
/** One of {@link emittedFormats}. */
export type EmittedFormat = (typeof emittedFormats)[number];

/** Scores a session for dedup: the best-scored copy of a duplicate cluster is kept. */
export type SessionScorer = (session: Session) => number;

/** Options of {@link createDatasetBuilder}. Every field has a default. */
export interface DatasetBuilderOptions {
  /** Formats to emit (default all of {@link emittedFormats}). */
  formats?: readonly EmittedFormat[];
  /** Harness noise: `drop` (default) or `keep` as never-trained context. */
  noise?: NoisePolicy;
  /** Tool definitions for called tools the session has no definition for (else inferred from the calls). */
  toolDefinitions?: readonly ToolDefinition[];
  /** Secret and PII redaction (home directory and user name default to this machine's). */
  redaction?: RedactionOptions;
  /** Exact and near-duplicate removal (both on by default). */
  dedup?: DedupOptions;
  /** Quality score for dedup; default {@link defaultSessionScore}. */
  scoreSession?: SessionScorer;
  /** Token counter; default the tokenx estimate. See `loadTokenizerJsonCounter` for an exact one. */
  tokenCounter?: TokenCounter;
  /** Token budget per row and what to do over it (default 32768, split). */
  tokens?: TokenBudgetOptions;
  /** Share of sessions in the validation split (default 0.05), assigned by a hash of the session id. */
  validationRatio?: number;
  /** ShareGPT options. */
  shareGpt?: ShareGptOptions;
  /** Dataset name for `dataset_info.json` (default `forge`). */
  datasetName?: string;
  /** Where each file goes, relative to the output folder; default `<format>/train.jsonl` and `<format>/val.jsonl`. */
  filePath?: (format: EmittedFormat, split: DatasetSplit) => string;
  /**
   * A folder for a temporary file that holds emitted rows until `finish()` (deleted by it): memory
   * then holds only hashes and offsets. Default: rows are kept in memory.
   */
  spillDirectory?: string;
}

/** Receives the dataset line by line from `finish(writer)`, in the final order of each file. */
export interface DatasetWriter {
  write(format: EmittedFormat, split: DatasetSplit, line: string): void;
}

/** What happened to one added session. */
export type AddSessionResult = { status: 'accepted'; rows: number } | { status: 'skipped'; reason: string };

/** The JSONL lines of one format (no trailing newlines; join with `\n`). */
export interface FormatLines {
  train: string[];
  validation: string[];
}

/** The parts of the dataset manifest this package owns; the CLI adds version, options, inputs and warnings. */
export type TransformManifest = Pick<DatasetManifest, 'counts' | 'tokens' | 'redactions' | 'skipped' | 'formats'>;

/** Everything {@link DatasetBuilder.finish} produces. Byte-identical for the same sessions in any order. */
export interface DatasetBuildResult {
  /** Lines per requested format; empty arrays when `finish()` was given a writer (the lines went there). */
  formats: Partial<Record<EmittedFormat, FormatLines>>;
  /** LLaMA-Factory `dataset_info.json` content (when `sharegpt` is requested), else `{}`. */
  datasetInfo: Record<string, LlamaFactoryDatasetInfoEntry>;
  /** axolotl YAML that loads the `messages` format (when requested), else `''`. */
  axolotlYaml: string;
  manifest: TransformManifest;
}

/** Builds a dataset from sessions added one at a time; see {@link createDatasetBuilder}. */
export interface DatasetBuilder {
  /**
   * Redacts, prepares, counts and emits one session; keeps only its lines and hashes until
   * {@link finish}. Never throws for bad content: a session that cannot be used (redaction failure,
   * nothing trainable) is skipped and reported. Safe to call concurrently.
   */
  addSession(session: Session): Promise<AddSessionResult>;
  /**
   * Drops duplicates (keeping the best-scored copy), sorts, splits, and returns the dataset. With a
   * writer, streams every line to it instead of returning them. Later calls return the same result
   * and write nothing.
   */
  finish(writer?: DatasetWriter): DatasetBuildResult;
}

/**
 * The default quality score: more trained-on assistant turns is better, each failed tool call
 * costs two. Used to pick which copy of a duplicate to keep.
 */
export function defaultSessionScore(session: Session): number {
  let score = 0;
  for (const message of session.messages) {
    if (message.role === 'assistant' && message.provenance === 'conversation') score += 1;
    if (message.toolResult?.isError === true) score -= 2;
  }
  return score;
}

interface EmittedRow {
  windowIndex: number;
  tokens: number;
  lines: Partial<Record<EmittedFormat, RowReference>>;
}

interface SessionEntry {
  key: string;
  ref: string;
  sessionId: string;
  source: string;
  models: string[];
  gasTownRole: string;
  messagesByRole: Record<string, number>;
  redactions: RedactionCounts;
  stats: PrepareConversationStats;
  reasoningTurns: number;
  rows: EmittedRow[];
}

type Skipped = DatasetManifest['skipped'][number];

function increment(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

function sortedRecord(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([left], [right]) => compareStrings(left, right)));
}

/** Only what an emitter reads: no usage, warnings or harness metadata to scan or hold. */
function slimSession(session: Session): Session {
  return {
    ...session,
    // No row carries the session's own paths: leave them out so they are neither redacted nor counted.
    cwd: '',
    files: [''],
    warnings: [],
    messages: session.messages.map((message) => ({
      role: message.role,
      text: message.text,
      reasoning: message.reasoning,
      toolCalls: message.toolCalls,
      ...(message.toolResult == null ? {} : { toolResult: message.toolResult }),
      provenance: message.provenance,
    })),
  };
}

/** Everything a row says, tool output included: the exact-duplicate key. */
function conversationText(conversation: PreparedConversation): string {
  const parts: string[] = [];
  for (const turn of conversation.turns) {
    parts.push(turn.text);
    if (turn.reasoning.state === 'present') parts.push(turn.reasoning.text ?? '');
    for (const call of turn.toolCalls) parts.push(call.name, call.argumentsJson);
  }
  return parts.join('\n');
}

/**
 * What the prompts and the model said, without tool output: the near-duplicate text. Tool output
 * is most of the bytes but repeats across unrelated sessions (the same files read), and MinHash
 * cost grows with every word.
 */
function dialogueText(conversation: PreparedConversation): string {
  const parts: string[] = [];
  for (const turn of conversation.turns) {
    if (turn.role === 'tool') continue;
    parts.push(turn.text);
    if (turn.reasoning.state === 'present') parts.push(turn.reasoning.text ?? '');
    for (const call of turn.toolCalls) parts.push(call.name, call.argumentsJson);
  }
  return parts.join('\n');
}

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? 0;
}

function defaultFilePath(format: EmittedFormat, split: DatasetSplit): string {
  return `${format}/${split === 'train' ? 'train' : 'val'}.jsonl`;
}

/**
 * Creates a dataset builder: add sessions as they are read (`addSession`), then `finish()` for the
 * JSONL lines of each format split into train/validation, the LLaMA-Factory `dataset_info.json`
 * entries, an axolotl YAML snippet and the manifest parts.
 */
export async function createDatasetBuilder(options: DatasetBuilderOptions = {}): Promise<DatasetBuilder> {
  const hash: XXHashAPI = await xxhash();
  const formats = [...new Set(options.formats ?? emittedFormats)].sort((left, right) => emittedFormats.indexOf(left) - emittedFormats.indexOf(right));
  const redactor = createRedactor(options.redaction);
  const counter = options.tokenCounter ?? createEstimateTokenCounter();
  const scoreSession = options.scoreSession ?? defaultSessionScore;
  const validationRatio = options.validationRatio ?? 0.05;
  const filePath = options.filePath ?? defaultFilePath;
  const finder = new DuplicateFinder(hash, options.dedup);
  const entries = new Map<string, SessionEntry>();
  const rowStore = options.spillDirectory == null ? createMemoryRowStore() : createFileRowStore(options.spillDirectory);
  const skipped: Skipped[] = [];
  let result: DatasetBuildResult | undefined;

  function emitLine(format: EmittedFormat, conversation: PreparedConversation): string {
    // Each record is validated against its @forge/schema schema before it is written.
    if (format === 'sharegpt') return JSON.stringify(parseShareGptRecord(toShareGptRecord(conversation, options.shareGpt)));
    if (format === 'openai') return JSON.stringify(parseOpenAiChatRecord(toOpenAiChatRecord(conversation)));
    return JSON.stringify(parseChatMessagesRecord(toChatMessagesRecord(conversation)));
  }

  function emitRow(conversation: PreparedConversation): Partial<Record<EmittedFormat, RowReference>> {
    // All formats first, then store: a row that fails validation in one format is stored in none.
    const lines = formats.map((format) => [format, emitLine(format, conversation)] as const);
    return Object.fromEntries(lines.map(([format, line]) => [format, rowStore.put(line)]));
  }

  async function addSession(session: Session): Promise<AddSessionResult> {
    if (result != null) throw new ForgeError({ message: 'addSession() was called after finish()', code: 'builder-finished', hint: 'create a new builder for another dataset' });
    const ref = `${session.source}:${session.id}`;
    const skip = (reason: string, kind: Skipped['kind'] = 'session'): AddSessionResult => {
      skipped.push({ kind, ref, reason });
      return { status: 'skipped', reason };
    };
    let redacted: Session;
    let redactions: RedactionCounts;
    try {
      ({ session: redacted, counts: redactions } = await redactor.redactSession(slimSession(session)));
    } catch (error) {
      // Fail closed: a session that cannot be redacted is never emitted.
      return skip(RedactionError.isInstance(error) ? error.message : `redaction failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const prepared = prepareConversation(redacted, { noise: options.noise, toolDefinitions: options.toolDefinitions });
    if (!prepared.ok) return skip(prepared.reason);
    const { conversation } = prepared;
    const text = conversationText(conversation);
    // Same id from two files (a resumed copy): the content hash keeps the keys apart and the order irrelevant.
    const key = `${ref}:${hash.h64ToString(text)}`;
    if (entries.has(key)) return skip('exact duplicate of a session already added');

    const fitted = fitTokenBudget(conversation, counter, options.tokens);
    for (const drop of fitted.dropped) skipped.push({ kind: 'row', ref: `${ref}#${drop.part}`, reason: drop.reason });
    if (fitted.windows.length === 0) return skip('no window fits the token budget');
    const rows: EmittedRow[] = [];
    for (const window of fitted.windows) {
      try {
        rows.push({ windowIndex: window.index, tokens: window.tokens, lines: emitRow(window.conversation) });
      } catch (error) {
        skipped.push({ kind: 'row', ref: `${ref}#${window.index}`, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    if (rows.length === 0) return skip('no row passed schema validation');

    const messagesByRole: Record<string, number> = {};
    if (conversation.system !== '') increment(messagesByRole, 'system');
    for (const turn of conversation.turns) increment(messagesByRole, turn.role);
    entries.set(key, {
      key,
      ref,
      sessionId: session.id,
      source: session.source,
      models: [...new Set(session.models)],
      gasTownRole: session.gastown?.role ?? 'none',
      messagesByRole,
      redactions,
      stats: prepared.stats,
      reasoningTurns: conversation.turns.filter((turn) => turn.reasoning.state === 'present').length,
      rows,
    });
    finder.add(key, text, scoreSession(session), dialogueText(conversation));
    return { status: 'accepted', rows: rows.length };
  }

  function finish(writer?: DatasetWriter): DatasetBuildResult {
    if (result == null) {
      try {
        result = build(writer);
      } finally {
        rowStore.close();
      }
    }
    return result;
  }

  function build(writer: DatasetWriter | undefined): DatasetBuildResult {
    const dropped = new Map(finder.resolve().map((drop) => [drop.key, drop]));
    for (const drop of dropped.values()) {
      const entry = entries.get(drop.key)!;
      skipped.push({ kind: 'session', ref: entry.ref, reason: `${drop.kind === 'exact' ? 'exact' : 'near'} duplicate of ${entries.get(drop.keptKey)!.ref}` });
    }
    const kept = [...entries.values()].filter((entry) => !dropped.has(entry.key)).sort((left, right) => compareStrings(left.key, right.key));

    const lines = Object.fromEntries(formats.map((format) => [format, { train: [] as string[], validation: [] as string[] }])) as Partial<Record<EmittedFormat, FormatLines>>;
    const rowCounts = Object.fromEntries(formats.map((format) => [format, { train: 0, validation: 0 }]));
    const sessionsBySource: Record<string, number> = {};
    const sessionsByRole: Record<string, number> = {};
    const sessionsByModel: Record<string, number> = {};
    const messagesByRole: Record<string, number> = {};
    const redactions: Record<string, number> = {};
    const rowTokens: number[] = [];
    let hollowTurns = 0;
    let reasoningTurns = 0;
    for (const entry of kept) {
      const split = assignSplit(hash, entry.sessionId, validationRatio);
      for (const row of entry.rows) {
        rowTokens.push(row.tokens);
        for (const format of formats) {
          const line = rowStore.get(row.lines[format]!);
          rowCounts[format]![split] += 1;
          if (writer == null) lines[format]![split].push(line);
          else writer.write(format, split, line);
        }
      }
      increment(sessionsBySource, entry.source);
      increment(sessionsByRole, entry.gasTownRole);
      for (const model of entry.models) increment(sessionsByModel, model);
      for (const [role, count] of Object.entries(entry.messagesByRole)) increment(messagesByRole, role, count);
      for (const [rule, count] of Object.entries(entry.redactions)) increment(redactions, rule, count);
      hollowTurns += entry.stats.hollowReasoningTurns;
      reasoningTurns += entry.reasoningTurns;
    }
    rowTokens.sort((left, right) => left - right);
    const totalTokens = rowTokens.reduce((sum, tokens) => sum + tokens, 0);
    const files = (format: EmittedFormat) => [filePath(format, 'train'), filePath(format, 'validation')];
    const notes: Record<EmittedFormat, string[]> = {
      sharegpt: [
        'reasoning is inlined as <think>…</think> blocks',
        `${hollowTurns} assistant turns had hollow reasoning: they carry no think block, and sharegpt cannot mask single turns (train with enable_thinking: false, or use the messages format)`,
        (options.shareGpt?.textWithToolCall ?? 'think') === 'think'
          ? 'assistant text that comes with a tool call is moved into that call\'s think block (LLaMA-Factory has no slot for it)'
          : 'assistant text that comes with a tool call is left out (LLaMA-Factory has no slot for it)',
        'parallel tool calls are one function_call holding a JSON list; their results are one observation holding a JSON list of strings',
      ],
      openai: [
        `openai cannot carry reasoning: the reasoning of ${reasoningTurns} assistant turns is left out`,
        'turns not to be trained on (context, orchestration, hollow reasoning) have weight 0',
        'tools[].function.parameters are JSON Schema objects as OpenAI requires; their struct differs per tool (load with DuckDB or datasets.Json() if you need Arrow)',
      ],
      messages: [
        'tool_calls arguments and tools[].function.parameters are JSON strings (one Arrow type across rows; axolotl parses parameters back, for TRL json.loads them before apply_chat_template); every message has every key (null where unused)',
        'reasoning_content is null for hollow reasoning, and such turns have train: false',
      ],
    };
    const skippedSorted = [...skipped].sort((left, right) => compareStrings(left.ref, right.ref) || compareStrings(left.reason, right.reason));
    return {
      formats: lines,
      datasetInfo: formats.includes('sharegpt')
        ? shareGptDatasetInfo(options.datasetName ?? 'forge', { train: filePath('sharegpt', 'train'), validation: filePath('sharegpt', 'validation') })
        : {},
      axolotlYaml: formats.includes('messages') ? axolotlDatasetYaml({ trainPath: filePath('messages', 'train'), validationPath: filePath('messages', 'validation') }) : '',
      manifest: {
        counts: {
          sessions: kept.length,
          sessionsBySource: sortedRecord(sessionsBySource),
          sessionsByRole: sortedRecord(sessionsByRole),
          sessionsByModel: sortedRecord(sessionsByModel),
          messagesByRole: sortedRecord(messagesByRole),
          rowsByFormat: rowCounts,
        },
        tokens: {
          counter: counter.name,
          total: totalTokens,
          mean: rowTokens.length === 0 ? 0 : totalTokens / rowTokens.length,
          p50: percentile(rowTokens, 0.5),
          p95: percentile(rowTokens, 0.95),
          max: rowTokens.at(-1) ?? 0,
        },
        redactions: sortedRecord(redactions),
        skipped: skippedSorted,
        formats: formats.map((format) => ({ format, files: files(format), notes: notes[format] })),
      },
    };
  }

  return { addSession, finish };
}

/** Options of {@link exportSession}: the builder's, minus what needs more than one session. */
export type ExportSessionOptions = Omit<DatasetBuilderOptions, 'formats' | 'dedup' | 'validationRatio' | 'scoreSession'>;

/**
 * One session to the JSONL lines of one format (redacted, noise policy and token budget applied;
 * no dedup, no split): what `forge export FILE --format …` prints.
 */
export async function exportSession(
  session: Session,
  format: EmittedFormat,
  options: ExportSessionOptions = {},
): Promise<{ lines: string[]; manifest: TransformManifest }> {
  const builder = await createDatasetBuilder({ ...options, formats: [format], validationRatio: 0, dedup: { exact: false, nearDuplicates: false } });
  await builder.addSession(session);
  const { formats, manifest } = builder.finish();
  return { lines: formats[format]?.train ?? [], manifest };
}
