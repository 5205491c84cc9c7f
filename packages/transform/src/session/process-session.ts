import { type DatasetManifest, type Message, type Session, type SessionSource, type ToolDefinition } from '@forge/schema';
import xxhash, { type XXHashAPI } from 'xxhash-wasm';
import { type ToolDefinitionOrigins } from '../conversation/infer-tool-definitions.js';
import { ConversationStream, type NoisePolicy, type SystemPromptPolicy } from '../conversation/prepare-conversation.js';
import { type PreparedTurn } from '../conversation/prepared-conversation.js';
import { DuplicateSigner, type DedupOptions, type DuplicateSignature, type DuplicateSignatureBuilder } from '../dedup/duplicate-finder.js';
import { type DatasetFormat, type FormatOptions, type FormatSessionInput } from '../formats/dataset-format.js';
import { resolveFormats } from '../formats/format-registry.js';
import { preferenceMaterialKey } from '../pairs/preference-items.js';
import { type PairKind, type PairSide } from '../pairs/plan-pairs.js';
import { TokenWindows, type TokenBudgetOptions, type TokenWindow } from '../length/token-windows.js';
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

/**
 * A session the per-session path reads in passes, message by message: what a file too big to hold
 * gives (`sessionPassesOf` of @forge/reader-kit), or a whole Session (`process`).
 */
export interface SessionPasses {
  /** One pass over the session's messages, in order. Called up to three times; every pass must give the same messages. */
  messages(): AsyncIterable<Message> | Iterable<Message>;
  /** The session without its messages: read once the first pass has ended (its totals cover the messages); undefined when the passes held no session. */
  head(): SessionHead | undefined;
}

/** A session without its messages. */
export type SessionHead = Omit<Session, 'messages'>;

/** The per-session path: redact → prepare → token windows → rows of every format → duplicate signature. */
export interface SessionProcessor {
  /** The token counter's name (for the manifest). */
  readonly tokenCounter: string;
  /** Never throws for bad content: a session that cannot be used comes back `skipped` with the reason. */
  process(session: Session, labels?: SessionLabels): Promise<ProcessedSession>;
  /**
   * The same path over a session read in passes (see {@link SessionPasses}), holding about one
   * token window of it at a time: pass 1 scans for secrets, pass 2 prepares the conversation (its
   * tools, system prompt, counts and duplicate signature), pass 3 builds the windows and their rows
   * as they fill. `process` is this over a whole Session (its second pass's turns are kept, so its
   * messages are prepared once). Undefined when the passes held no session (`head()` undefined
   * after the first pass). Throws only what a pass throws (an unreadable file). `labels` may be
   * a function of the head, for what is known only once a pass has ended (is the branch active?).
   */
  processPasses(passes: SessionPasses, labels?: SessionLabels | ((head: SessionHead) => SessionLabels)): Promise<ProcessedSession | undefined>;
}

/** Only what an emitter reads of a message. */
function slimMessage(message: Message): Message {
  return {
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
  };
}

/** Only what an emitter reads of the head: no warnings or harness metadata to scan or hold. */
function slimHead(head: SessionHead, systemPrompt: SystemPromptPolicy): SessionHead {
  // A whole Session passed as its head still has its messages: they are scanned on their own.
  // (Left out by destructuring: a `delete` would turn the object into a slow dictionary.)
  const { systemPrompt: recorded, messages: _messages, ...rest } = head as SessionHead & { messages?: unknown };
  return {
    ...rest,
    // A recorded prompt that no row keeps is not worth redacting.
    ...(systemPrompt === 'keep' && recorded != null ? { systemPrompt: recorded } : {}),
    // No row carries the session's own paths: leave them out so they are neither redacted nor counted.
    cwd: '',
    files: [''],
    warnings: [],
  };
}

/**
 * Counts and hashes over the prepared turns as they come: the content hash of everything a row
 * says, the duplicate signature (exact text with tool output, near-duplicate text without), turns by role.
 */
class ConversationFacts {
  readonly messagesByRole: Record<string, number> = {};
  reasoningTurns = 0;
  readonly #key: ReturnType<XXHashAPI['create64']>;
  readonly #signature: DuplicateSignatureBuilder;
  #parts = 0;

  constructor(hash: XXHashAPI, signer: DuplicateSigner) {
    this.#key = hash.create64();
    this.#signature = signer.begin();
  }

  add(turn: PreparedTurn): void {
    this.messagesByRole[turn.role] = (this.messagesByRole[turn.role] ?? 0) + 1;
    if (turn.reasoning.state === 'present') this.reasoningTurns += 1;
    // Tool output is most of the bytes but repeats across unrelated sessions (the same files
    // read), and MinHash cost grows with every word: the near-duplicate text leaves it out.
    const dialogue = turn.role !== 'tool';
    this.#part(turn.text, dialogue);
    if (turn.reasoning.state === 'present') this.#part(turn.reasoning.text ?? '', dialogue);
    for (const call of turn.toolCalls) {
      this.#part(call.name, dialogue);
      this.#part(call.argumentsJson, dialogue);
    }
  }

  /** The content hash, the duplicate signature and the turns by role (a system prompt counts one). */
  finish(system: string): { contentHash: string; duplicate: DuplicateSignature; messagesByRole: Record<string, number> } {
    const messagesByRole = system === '' ? this.messagesByRole : { system: 1, ...this.messagesByRole };
    return { contentHash: this.#key.digest().toString(16).padStart(16, '0'), duplicate: this.#signature.finish(), messagesByRole };
  }

  #part(text: string, dialogue: boolean): void {
    if (this.#parts > 0) this.#key.update('\n');
    this.#parts += 1;
    this.#key.update(text);
    this.#signature.addText(text);
    if (dialogue) this.#signature.addNearDuplicateText(text);
  }
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
  const systemPromptPolicy = options.systemPrompt ?? 'keep';
  const prepareOptions = { noise: options.noise, toolDefinitions: options.toolDefinitions, systemPrompt: options.systemPrompt };

  async function processPasses(passes: SessionPasses, labelsOf: SessionLabels | ((head: SessionHead) => SessionLabels) = {}, keepTurns = false): Promise<ProcessedSession | undefined> {
    const skipped: SkippedItem[] = [];
    const skip = (ref: string, reason: string): ProcessedSession => ({ status: 'skipped', ref, reason, skipped });

    // Pass 1: the secret scan of every string (a value found anywhere is redacted everywhere).
    // Fail closed: a session that cannot be redacted is never emitted (the pass still ends, for the head).
    const failure = (error: unknown): string => (RedactionError.isInstance(error) ? error.message : `redaction failed: ${error instanceof Error ? error.message : String(error)}`);
    const redaction = redactor.beginSession();
    let scanFailure: string | undefined;
    for await (const message of passes.messages()) {
      if (scanFailure != null) continue;
      try {
        await redaction.scanMessage(slimMessage(message));
      } catch (error) {
        scanFailure = failure(error);
      }
    }
    const session = passes.head();
    if (session == null) return undefined;
    const labels = typeof labelsOf === 'function' ? labelsOf(session) : labelsOf;
    const ref = `${session.source}:${session.id}`;
    if (scanFailure != null) return skip(ref, scanFailure);
    try {
      await redaction.finishScan(slimHead(session, systemPromptPolicy));
    } catch (error) {
      return skip(ref, failure(error));
    }
    const redactedHead = redaction.head;

    // Pass 2: the prepared conversation's tools, system prompt, counts and hashes.
    const redactions: RedactionCounts = { ...redaction.headCounts };
    const facts = new ConversationFacts(hash, signer);
    const kept: PreparedTurn[] | undefined = keepTurns ? [] : undefined;
    const prepare = async (counts: RedactionCounts | undefined, onTurn: (turn: PreparedTurn) => void): Promise<ConversationStream> => {
      const redact = redaction.pass(counts);
      const stream = new ConversationStream(redactedHead.systemPrompt, prepareOptions);
      for await (const message of passes.messages()) for (const turn of stream.add(redact(slimMessage(message)))) onTurn(turn);
      for (const turn of stream.finish()) onTurn(turn);
      return stream;
    };
    const prepared = await prepare(redactions, (turn) => {
      facts.add(turn);
      kept?.push(turn);
    });
    if (prepared.failure != null) return skip(ref, prepared.failure);
    const system = prepared.system;
    const tools = prepared.tools(redactedHead.tools);
    const { contentHash, duplicate, messagesByRole } = facts.finish(system);

    // Pass 3: token windows, and each window's rows as it closes.
    const rowLabels: RowLabels = {
      sessionId: session.id,
      source: session.source,
      role: session.gastown?.role ?? 'none',
      beads: [...(labels.beads ?? session.gastown?.beadIds ?? [])],
      score: labels.score ?? null,
    };
    const redactedSession = { ...redactedHead, messages: [] } as Session;
    const sessionFormats = labels.preferenceOnly === true ? [] : formats;
    const rows: Record<string, RowReference[]> = {};
    // Per format, so the manifest lists them format by format whatever order the windows closed in.
    const rowSkips: Record<string, SkippedItem[]> = {};
    const addRows = (format: DatasetFormat, input: FormatSessionInput): void => {
      const references = (rows[format.name] ??= []);
      for (const row of format.sessionRows(input, formatOptions)) {
        if ('line' in row) references.push(rowStore.put(row.line));
        else (rowSkips[format.name] ??= []).push({ kind: 'row', ref: `${ref}#${row.skippedPart}`, reason: `${format.name}: ${row.reason}` });
      }
    };
    const windowFormats = sessionFormats.filter((format) => format.perWindow === true);
    const wholeFormats = sessionFormats.filter((format) => format.perWindow !== true);
    const conversationHead = { sessionId: redactedHead.id, source: redactedHead.source, system, tools };
    const windows = new TokenWindows(conversationHead, counter, options.tokens);
    const windowTokens: number[] = [];
    // Only a format that reads the whole conversation (ATIF, a format of your own) holds every turn and window.
    const allTurns: PreparedTurn[] | undefined = wholeFormats.length > 0 ? [] : undefined;
    const allWindows: TokenWindow[] = [];
    let firstWindow: TokenWindow | undefined;
    const onWindow = (window: TokenWindow): void => {
      windowTokens.push(window.tokens);
      firstWindow ??= window;
      if (allTurns != null) allWindows.push(window);
      for (const format of windowFormats) addRows(format, { conversation: window.conversation, windows: [window], session: redactedSession, labels: rowLabels });
    };
    const onTurn = (turn: PreparedTurn): void => {
      allTurns?.push(turn);
      for (const window of windows.add(turn)) onWindow(window);
    };
    if (kept != null) for (const turn of kept) onTurn(turn);
    else await prepare(undefined, onTurn);
    for (const window of windows.finish()) onWindow(window);
    for (const format of wholeFormats) addRows(format, { conversation: { ...conversationHead, turns: allTurns ?? [] }, windows: allWindows, session: redactedSession, labels: rowLabels });

    for (const drop of windows.dropped) skipped.push({ kind: 'row', ref: `${ref}#${drop.part}`, reason: drop.reason });
    if (windowTokens.length === 0) return skip(ref, 'no window fits the token budget');
    let rowCount = 0;
    const result: Record<string, RowReference[]> = {};
    if (formats.some((format) => format.preferenceRow != null)) {
      // Pairs join whole sessions at merge time: keep the redacted conversation when it fits one window.
      if (windowTokens.length === 1 && firstWindow != null) result[preferenceMaterialKey] = [rowStore.put(JSON.stringify(firstWindow.conversation))];
      else skipped.push({ kind: 'row', ref: `${ref}#pairs`, reason: 'not whole in one token window: left out of preference pairs' });
      rowCount += result[preferenceMaterialKey]?.length ?? 0;
    }
    for (const format of sessionFormats) {
      skipped.push(...(rowSkips[format.name] ?? []));
      result[format.name] = rows[format.name] ?? [];
      rowCount += result[format.name]!.length;
    }
    if (rowCount === 0) return skip(ref, 'no row passed schema validation');

    return {
      status: 'accepted',
      // Same id from two files (a resumed copy): the content hash keeps the keys apart and the order irrelevant.
      key: `${ref}:${contentHash}`,
      ref,
      labels: rowLabels,
      ...(session.parent == null ? {} : { parent: { ref: `${session.source}:${session.parent.sessionId}`, toolCallId: session.parent.toolCallId } }),
      // Scores come from the caller (the CLI's one scorer, @forge/scoring); unscored copies tie, and the smaller key wins.
      dedupScore: labels.score ?? 0,
      facts: {
        models: [...new Set(session.models)],
        messagesByRole,
        redactions,
        hollowReasoningTurns: prepared.stats.hollowReasoningTurns,
        toolDefinitions: prepared.stats.toolDefinitions,
        reasoningTurns: facts.reasoningTurns,
      },
      windowTokens,
      rows: result,
      duplicate,
      skipped,
    };
  }

  return {
    tokenCounter: counter.name,
    process: async (session, labels) => (await processPasses({ messages: () => session.messages, head: () => session }, labels, true))!,
    processPasses: (passes, labels) => processPasses(passes, labels),
  };
}
