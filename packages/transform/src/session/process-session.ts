import { type DatasetManifest, type Session, type SessionSource, type ToolDefinition } from '@forge/schema';
import xxhash from 'xxhash-wasm';
import { type ToolDefinitionOrigins } from '../conversation/infer-tool-definitions.js';
import { prepareConversation, type NoisePolicy, type SystemPromptPolicy } from '../conversation/prepare-conversation.js';
import { type PreparedConversation } from '../conversation/prepared-conversation.js';
import { DuplicateSigner, type DedupOptions, type DuplicateSignature } from '../dedup/duplicate-finder.js';
import { type DatasetFormat, type FormatOptions } from '../formats/dataset-format.js';
import { resolveFormats } from '../formats/format-registry.js';
import { preferenceMaterialKey } from '../pairs/preference-items.js';
import { type PairKind, type PairSide } from '../pairs/plan-pairs.js';
import { fitTokenBudget, type TokenBudgetOptions } from '../length/token-windows.js';
import { createRedactor, RedactionError, type RedactionCounts, type RedactionOptions } from '../redact/redactor.js';
import { createMemoryRowStore, type RowReference, type RowStore } from '../row-store.js';
import { createEstimateTokenCounter, type TokenCounter } from '../tokens/token-counter.js';

/** What a caller knows of a session beyond its content (its score, the beads it worked): travels into its rows' bookkeeping. */
export interface SessionLabels {
  /** The session's quality score in [0, 1] (@forge/scoring's, through the CLI): the dedup tie-break, the best copy of a duplicate cluster is kept; unscored sessions count 0. */
  score?: number;
  /** The bead ids the session worked (default: those its Gas Town context names). */
  beads?: readonly string[];
  /** Keep the session only as preference material (an abandoned branch): no SFT rows. */
  preferenceOnly?: boolean;
}

/** The bookkeeping every row of a session carries: one line of a per-format `rows.jsonl`. */
export interface RowLabels {
  sessionId: string;
  source: SessionSource;
  /** The Gas Town role, or `none`. */
  role: string;
  beads: string[];
  /** The score given with the session, or null. */
  score: number | null;
  /** On rows of preference formats (the labels are the chosen session's): the pair, naming both sessions, or the single's label. */
  preference?: PreferenceLabels;
}

/** What a preference row is: a pair's kind, bead, margin and both sessions, or a single (KTO) row's label. */
export type PreferenceLabels =
  | { kind: PairKind; bead: string | null; margin: number | null; chosen: PairSide; rejected: PairSide }
  | { kind: 'single'; bead: string; label: boolean; session: PairSide };

/** One entry of the manifest's `skipped` list. */
export type SkippedItem = DatasetManifest['skipped'][number];

/** Per-session counts the manifest adds up over the kept sessions. */
export interface SessionFacts {
  models: string[];
  messagesByRole: Record<string, number>;
  redactions: RedactionCounts;
  hollowReasoningTurns: number;
  reasoningTurns: number;
  /** Where the session's tool definitions came from. */
  toolDefinitions: ToolDefinitionOrigins;
}

/**
 * The result of the per-session path: plain data (it can cross a thread), rows already stored in
 * the row store. The merge step takes it from here.
 */
export type ProcessedSession =
  | {
      status: 'accepted';
      /** `<source>:<id>:<content hash>`: unique per distinct content, the order of the kept sessions. */
      key: string;
      /** `<source>:<id>`, as the manifest names the session. */
      ref: string;
      labels: RowLabels;
      /** The session that started this one (a subagent's parent), as `<source>:<id>`, and its tool call. */
      parent?: { ref: string; toolCallId: string | undefined };
      /** The dedup tie-break: the given score, else 0. */
      dedupScore: number;
      facts: SessionFacts;
      /** Tokens of each token window. */
      windowTokens: number[];
      /** Each format's rows, in row order. */
      rows: Record<string, RowReference[]>;
      duplicate: DuplicateSignature;
      /** Parts left out (windows over the budget, rows that failed validation). */
      skipped: SkippedItem[];
    }
  | { status: 'skipped'; ref: string; reason: string; skipped: SkippedItem[] };

/** Options of {@link createSessionProcessor}. Every field has a default. */
export interface SessionProcessorOptions {
  /** Formats to build rows for: registered names or format objects of your own (default all registered). */
  formats?: readonly (string | DatasetFormat)[];
  /** Harness noise: `drop` (default) or `keep` as never-trained context. */
  noise?: NoisePolicy;
  /** Tool definitions for called tools the session has no definition for (else inferred from the calls). */
  toolDefinitions?: readonly ToolDefinition[];
  /** The rows' system prompt: `keep` (default) the recorded one, `drop`, or `{ replacement }`. */
  systemPrompt?: SystemPromptPolicy;
  /** Secret and PII redaction (home directory and user name default to this machine's). */
  redaction?: RedactionOptions;
  /** Which duplicate signatures to compute (MinHash parameters; none when near-duplicates are off). */
  dedup?: DedupOptions;
  /** Token counter; default the tokenx estimate. */
  tokenCounter?: TokenCounter;
  /** Token budget per row and what to do over it (default 32768, split). */
  tokens?: TokenBudgetOptions;
  /** Record options of the formats. */
  formatOptions?: FormatOptions;
  /** Where rows are put as they are built (default: memory). */
  rowStore?: RowStore;
}

/** The per-session path: redact → prepare → token windows → rows of every format → duplicate signature. */
export interface SessionProcessor {
  /** The token counter's name (for the manifest). */
  readonly tokenCounter: string;
  /** Never throws for bad content: a session that cannot be used comes back `skipped` with the reason. */
  process(session: Session, labels?: SessionLabels): Promise<ProcessedSession>;
}

/** Only what an emitter reads: no warnings or harness metadata to scan or hold. */
function slimSession(session: Session, systemPrompt: SystemPromptPolicy): Session {
  const { systemPrompt: recorded, ...rest } = session;
  return {
    ...rest,
    // A recorded prompt that no row keeps is not worth redacting.
    ...(systemPrompt === 'keep' && recorded != null ? { systemPrompt: recorded } : {}),
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
      // Time, model and usage: the record facts a trajectory format (ATIF) carries per step.
      ...(message.timestamp == null ? {} : { timestamp: message.timestamp }),
      ...(message.model == null ? {} : { model: message.model }),
      ...(message.usage == null ? {} : { usage: message.usage }),
    })),
  };
}

/** Everything a row says, tool output included: the exact-duplicate text. */
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

function countsByRole(conversation: PreparedConversation): Record<string, number> {
  const counts: Record<string, number> = {};
  if (conversation.system !== '') counts.system = 1;
  for (const turn of conversation.turns) counts[turn.role] = (counts[turn.role] ?? 0) + 1;
  return counts;
}

/** Creates the per-session path with its options; it holds no state between sessions. */
export async function createSessionProcessor(options: SessionProcessorOptions = {}): Promise<SessionProcessor> {
  const hash = await xxhash();
  const formats = resolveFormats(options.formats);
  const redactor = createRedactor(options.redaction);
  const counter = options.tokenCounter ?? createEstimateTokenCounter();
  const signer = new DuplicateSigner(hash, options.dedup);
  const rowStore = options.rowStore ?? createMemoryRowStore();
  const formatOptions = options.formatOptions ?? { datasetName: 'forge' };

  async function process(session: Session, labels: SessionLabels = {}): Promise<ProcessedSession> {
    const ref = `${session.source}:${session.id}`;
    const skipped: SkippedItem[] = [];
    const skip = (reason: string): ProcessedSession => ({ status: 'skipped', ref, reason, skipped });
    let redacted: Session;
    let redactions: RedactionCounts;
    try {
      ({ session: redacted, counts: redactions } = await redactor.redactSession(slimSession(session, options.systemPrompt ?? 'keep')));
    } catch (error) {
      // Fail closed: a session that cannot be redacted is never emitted.
      return skip(RedactionError.isInstance(error) ? error.message : `redaction failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const prepared = prepareConversation(redacted, { noise: options.noise, toolDefinitions: options.toolDefinitions, systemPrompt: options.systemPrompt });
    if (!prepared.ok) return skip(prepared.reason);
    const { conversation } = prepared;
    const text = conversationText(conversation);

    const fitted = fitTokenBudget(conversation, counter, options.tokens);
    for (const drop of fitted.dropped) skipped.push({ kind: 'row', ref: `${ref}#${drop.part}`, reason: drop.reason });
    if (fitted.windows.length === 0) return skip('no window fits the token budget');
    const rowLabels: RowLabels = {
      sessionId: session.id,
      source: session.source,
      role: session.gastown?.role ?? 'none',
      beads: [...(labels.beads ?? session.gastown?.beadIds ?? [])],
      score: labels.score ?? null,
    };
    const rows: Record<string, RowReference[]> = {};
    let rowCount = 0;
    if (formats.some((format) => format.preferenceRow != null)) {
      // Pairs join whole sessions at merge time: keep the redacted conversation when it fits one window.
      if (fitted.windows.length === 1) rows[preferenceMaterialKey] = [rowStore.put(JSON.stringify(conversation))];
      else skipped.push({ kind: 'row', ref: `${ref}#pairs`, reason: 'not whole in one token window: left out of preference pairs' });
      rowCount += rows[preferenceMaterialKey]?.length ?? 0;
    }
    for (const format of labels.preferenceOnly === true ? [] : formats) {
      const references: RowReference[] = [];
      for (const row of format.sessionRows({ conversation, windows: fitted.windows, session: redacted, labels: rowLabels }, formatOptions)) {
        if ('line' in row) references.push(rowStore.put(row.line));
        else skipped.push({ kind: 'row', ref: `${ref}#${row.skippedPart}`, reason: `${format.name}: ${row.reason}` });
      }
      rows[format.name] = references;
      rowCount += references.length;
    }
    if (rowCount === 0) return skip('no row passed schema validation');

    return {
      status: 'accepted',
      // Same id from two files (a resumed copy): the content hash keeps the keys apart and the order irrelevant.
      key: `${ref}:${hash.h64ToString(text)}`,
      ref,
      labels: rowLabels,
      ...(session.parent == null ? {} : { parent: { ref: `${session.source}:${session.parent.sessionId}`, toolCallId: session.parent.toolCallId } }),
      // Scores come from the caller (the CLI's one scorer, @forge/scoring); unscored copies tie, and the smaller key wins.
      dedupScore: labels.score ?? 0,
      facts: {
        models: [...new Set(session.models)],
        messagesByRole: countsByRole(conversation),
        redactions,
        hollowReasoningTurns: prepared.stats.hollowReasoningTurns,
        toolDefinitions: prepared.stats.toolDefinitions,
        reasoningTurns: conversation.turns.filter((turn) => turn.reasoning.state === 'present').length,
      },
      windowTokens: fitted.windows.map((window) => window.tokens),
      rows,
      duplicate: signer.sign(text, dialogueText(conversation)),
      skipped,
    };
  }

  return { tokenCounter: counter.name, process };
}
