import { homedir, userInfo } from 'node:os';
import { type Message, type Session } from '@forge/schema';
import { keyedValueMatch, looksGenerated } from './keyed-values.js';
import { paymentCardRule, phoneNumberRule } from './personal-data.js';
import { createLiteralFinder, shortestPropagatedValue, type LiteralFinder } from './propagation.js';
import { regexRule, slotAt, slotSeparator, type RedactionMatch, type RedactionRule } from './redaction-rule.js';
import { RedactionError } from './redaction-error.js';
import { builtInRedactionRules, emailRedactionRule, homeDirectoryRule, userNameRule } from './redaction-rules.js';
import { scanWithSecretlint } from './secretlint-scanner.js';

export { RedactionError } from './redaction-error.js';

/** Options of {@link createRedactor}. */
export interface RedactionOptions {
  /** The home directory to replace with `~` (default: `os.homedir()`; empty string: off). */
  homeDirectory?: string;
  /** The user name to replace as a word (default: `os.userInfo().username`; empty string: off). */
  userName?: string;
  /** Replace e-mail addresses (default true). */
  emails?: boolean;
  /** Replace phone numbers (default true). */
  phoneNumbers?: boolean;
  /** Replace payment card numbers (default true). */
  paymentCards?: boolean;
  /** More patterns to replace, each counted under its name. */
  extraPatterns?: ReadonlyArray<{ name: string; pattern: RegExp }>;
  /** Values always replaced, with their URL-encoded, JSON-escaped and base64 forms (counted as `literal-value`). */
  literalValues?: readonly string[];
  /** Findings never replaced: an exact text, or a pattern that matches the whole finding. */
  allowlist?: ReadonlyArray<string | RegExp>;
  /** Scan text with secretlint's recommend preset (default true; off only for benchmarks of the rest). */
  secretlint?: boolean;
}

/** Replacements made, per rule name. */
export type RedactionCounts = Record<string, number>;

/** A redactor: every string in, no secret out; throws {@link RedactionError} rather than pass text through unredacted. */
export interface Redactor {
  /** Redacts a list of texts as one batch (one secretlint pass; a secret found in one is redacted in all). */
  redactTexts(texts: readonly string[]): Promise<{ texts: string[]; counts: RedactionCounts }>;
  /**
   * Redacts every string of a session that can reach an output: message text, reasoning, tool
   * arguments (each JSON string value, keeping the arguments valid JSON), tool results, title,
   * paths, metadata. Enum-like fields (role, provenance, timestamps, models) are left as they are.
   * Every value redacted anywhere in the session is redacted everywhere else in it. Parts with
   * nothing to redact are the session's own objects, not copies.
   */
  redactSession(session: Session): Promise<{ session: Session; counts: RedactionCounts }>;
  /** The same redaction for a session read as a stream, in passes (see {@link SessionRedaction}). */
  beginSession(): SessionRedaction;
}

/** A session without its messages. */
export type SessionHead = Omit<Session, 'messages'>;

/**
 * One session redacted as a stream: pass 1 scans each message (`scanMessage`, in order) and then
 * the head (`finishScan`); every later `pass` redacts the same messages, in the same order, with
 * what the whole session's scan found (a value found anywhere is redacted everywhere).
 */
export interface SessionRedaction {
  scanMessage(message: Message): Promise<void>;
  finishScan(head: SessionHead): Promise<void>;
  /** The head, redacted (after `finishScan`). */
  readonly head: SessionHead;
  /** What redacting the head replaced, per rule. */
  readonly headCounts: RedactionCounts;
  /** A pass over the messages: redacts each in turn, adding what it replaced to `counts`. */
  pass(counts?: RedactionCounts): (message: Message) => Message;
}

/** One string to scan and, when it sits in parsed JSON, the key it sits under. */
export interface RedactionSlot {
  value: string;
  key?: string;
}

/** The spans to replace in each slot (sorted, not overlapping), for redaction or for an audit report. */
export type SlotFindings = RedactionMatch[][];

// Never part of a secret and must keep their exact values (enums, times, counters).
const structuralKeys = new Set([
  'schemaVersion',
  'source',
  'role',
  'provenance',
  'state',
  'kind',
  'startedAt',
  'endedAt',
  'timestamp',
  'stopReason',
  'thinkingLevel',
  'thinkingLevels',
  'model',
  'models',
  'provider',
  'mimeType',
  'type',
]);

/** Characters per batch: big enough to amortize secretlint's per-call cost, far from V8's string limit. */
const batchCharacters = 16_000_000;

/** Rules whose replacement is not a secret placeholder, or that already apply everywhere: nothing to propagate. */
const notPropagated = new Set(['home-directory', 'user-name']);
/** Rules that also take ordinary values (`NODE_ENV=production`): only generated-looking ones propagate. */
const weakRules = new Set(['env-dump']);

function mergeMatches(matches: RedactionMatch[]): RedactionMatch[] {
  matches.sort((left, right) => left.start - right.start || right.end - left.end);
  const merged: RedactionMatch[] = [];
  for (const match of matches) {
    const last = merged.at(-1);
    if (last != null && match.start < last.end) {
      if (match.end > last.end) last.end = match.end;
      continue;
    }
    merged.push({ ...match });
  }
  return merged;
}

function applyMatches(text: string, matches: readonly RedactionMatch[]): string {
  let result = '';
  let cursor = 0;
  for (const match of matches) {
    result += text.slice(cursor, match.start) + match.replacement;
    cursor = match.end;
  }
  return result + text.slice(cursor);
}

type Visit = (text: string, key: string | undefined) => string;

// The walks below copy on write: a value in which nothing changed is given back as it is, so the
// scan pass (which changes nothing) and the redaction of clean messages allocate nothing.

/** The array with each item mapped: the same array when no item changed. */
function mapItems(list: readonly unknown[], map: (item: unknown) => unknown): unknown {
  let copy: unknown[] | undefined;
  for (let index = 0; index < list.length; index += 1) {
    const item = list[index];
    const mapped = map(item);
    if (copy == null && mapped !== item) copy = list.slice(0, index);
    copy?.push(mapped);
  }
  return copy ?? list;
}

/**
 * The object with each entry mapped (`mapKey`, when given, maps the keys): the same object when no
 * key or value changed. A `__proto__` key always makes the copy, which (assigning it) drops the
 * key, as a copy always did.
 */
function mapEntries(value: object, mapChild: (key: string, child: unknown) => unknown, mapKey?: (key: string) => string): unknown {
  // Keys, not entries, and no pair per key: the walk allocates nothing for what it leaves as it was.
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let copy: Record<string, unknown> | undefined;
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index]!;
    const child = record[key];
    const mappedKey = mapKey == null ? key : mapKey(key);
    const mappedChild = mapChild(key, child);
    if (copy == null && (mappedKey !== key || mappedChild !== child || key === '__proto__')) {
      copy = {};
      for (let earlier = 0; earlier < index; earlier += 1) copy[keys[earlier]!] = record[keys[earlier]!];
    }
    if (copy != null) copy[mappedKey] = mappedChild;
  }
  return copy ?? value;
}

/** Walks a JSON value; `visit` sees every string (keys too, with no key of their own) and returns its replacement. */
function mapJson(value: unknown, visit: Visit, key?: string): unknown {
  if (typeof value === 'string') return visit(value, key);
  if (Array.isArray(value)) return mapItems(value, (item) => mapJson(item, visit, key));
  if (value != null && typeof value === 'object') return mapEntries(value, (childKey, child) => mapJson(child, visit, childKey), (childKey) => visit(childKey, undefined));
  return value;
}

/** Tool arguments: each string of the parsed JSON, so the arguments stay valid JSON; raw text when they do not parse. */
function mapToolArguments(raw: string, visit: Visit): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return visit(raw, undefined);
  }
  return JSON.stringify(mapJson(parsed, visit));
}

/** Walks a session like {@link mapJson}, but parses tool arguments and skips structural fields. */
function mapSession(value: unknown, visit: Visit, key?: string): unknown {
  if (key != null && structuralKeys.has(key)) return value;
  if (key === 'arguments' && typeof value === 'string') return mapToolArguments(value, visit);
  if (key === 'metadata') return mapJson(value, visit);
  if (typeof value === 'string') return visit(value, undefined);
  if (Array.isArray(value)) return mapItems(value, (item) => mapSession(item, visit, key === 'toolCalls' || key === 'messages' ? undefined : key));
  if (value != null && typeof value === 'object') return mapEntries(value, (childKey, child) => mapSession(child, visit, childKey));
  return value;
}

/** Every string of a session that redaction reads, in walking order, with the JSON key it sits under. */
export function sessionSlots(session: Session): RedactionSlot[] {
  const slots: RedactionSlot[] = [];
  mapSession(session, (value, key) => {
    slots.push(key == null ? { value } : { value, key });
    return value;
  });
  return slots;
}

function defaultUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

/** The detection engine shared by {@link createRedactor} and `auditDataset`: findings per slot, nothing replaced. */
export interface RedactionScanner {
  scan(slots: readonly RedactionSlot[]): Promise<SlotFindings>;
  /** The same scan, slot by slot: a session too big to hold is scanned as it streams, then redacted on a second pass. */
  begin(): SlotScan;
}

/**
 * One scan fed slot by slot (batches are scanned as they fill): `add` every slot in order (a
 * message's slots at a time), `finish`, then `matchesOf(ordinal, value)` gives a slot's spans, a
 * value found anywhere included.
 */
export interface SlotScan {
  add(slots: readonly RedactionSlot[]): Promise<void>;
  finish(): Promise<void>;
  /** The spans to replace in the slot added as number `ordinal` (0-based), whose text is `value`. */
  matchesOf(ordinal: number, value: string): RedactionMatch[];
}

/**
 * Builds the scanner: secretlint's recommend preset (without the comment filter), the built-in
 * rules, the key formats, credential keys in structured text, e-mail addresses, phone numbers,
 * payment cards, the home directory, the user name and the user's patterns and literal values;
 * then every value found, and its encoded forms, everywhere in the same batch of slots.
 */
export function createRedactionScanner(options: RedactionOptions = {}): RedactionScanner {
  // Built-in rules read the batch text (slots joined by the separator, which none of them matches
  // across); the user's patterns read each slot, so their `^` and `$` mean what the user meant.
  const batchRules: RedactionRule[] = [...builtInRedactionRules];
  if (options.emails ?? true) batchRules.push(emailRedactionRule);
  if (options.phoneNumbers ?? true) batchRules.push(phoneNumberRule);
  if (options.paymentCards ?? true) batchRules.push(paymentCardRule);
  const home = homeDirectoryRule(options.homeDirectory ?? homedir());
  if (home != null) batchRules.push(home);
  const user = userNameRule(options.userName ?? defaultUserName());
  if (user != null) batchRules.push(user);
  const slotRules = (options.extraPatterns ?? []).map((extra) => regexRule(extra.name, extra.pattern));
  const useSecretlint = options.secretlint ?? true;
  const allowedTexts = new Set(options.allowlist?.filter((entry): entry is string => typeof entry === 'string'));
  const allowedPatterns = (options.allowlist ?? []).filter((entry): entry is RegExp => entry instanceof RegExp).map((pattern) => new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, '')));
  const isAllowed = (text: string) => allowedTexts.has(text) || allowedPatterns.some((pattern) => pattern.test(text));
  const literalValues = new Map((options.literalValues ?? []).map((value) => [value, 'literal-value']));

  /**
   * Scans one batch of slots (secretlint, the batch rules, then each slot's own checks); the
   * propagated values grow. Returns the spans of the slots that have any, by index in the batch.
   */
  async function scanBatch(slots: readonly RedactionSlot[], propagated: Map<string, string>): Promise<Map<number, RedactionMatch[]>> {
    const perSlot = new Map<number, RedactionMatch[]>();
    const add = (index: number, match: RedactionMatch): void => {
      const matches = perSlot.get(index);
      if (matches == null) perSlot.set(index, [match]);
      else matches.push(match);
    };
    const starts: number[] = [];
    const values: string[] = [];
    let length = 0;
    for (let index = 0; index < slots.length; index += 1) {
      const { value } = slots[index]!;
      starts.push(length);
      values.push(value);
      length += value.length + slotSeparator.length;
    }
    const text = values.join(slotSeparator);
    const distribute = (found: readonly RedactionMatch[]): void => {
      for (const match of found) {
        for (let index = slotAt(starts, match.start); index < starts.length && starts[index]! < match.end; index += 1) {
          const slotStart = starts[index]!;
          const slotEnd = slotStart + values[index]!.length;
          const start = Math.max(match.start, slotStart) - slotStart;
          const end = Math.min(match.end, slotEnd) - slotStart;
          if (end > start) add(index, { ...match, start, end });
        }
      }
    };
    if (useSecretlint) {
      let found: RedactionMatch[];
      try {
        found = await scanWithSecretlint(text, starts);
      } catch (error) {
        throw new RedactionError({ message: error instanceof Error ? error.message : String(error), cause: error });
      }
      distribute(found);
    }
    // One array per rule, never spread: a big session can hold more matches than a call's arguments.
    for (const rule of batchRules) distribute(rule.find(text));
    const propagate = (value: string, rule: string) => {
      if (value.length >= shortestPropagatedValue && !propagated.has(value) && !isAllowed(value)) propagated.set(value, rule);
    };
    for (let index = 0; index < slots.length; index += 1) {
      const { value, key } = slots[index]!;
      if (value === '') continue;
      const keyed = key == null ? undefined : keyedValueMatch(key, value);
      if (keyed != null) add(index, keyed);
      for (const rule of slotRules) for (const match of rule.find(value)) add(index, match);
      const matches = perSlot.get(index);
      if (matches == null) continue;
      const kept = matches.filter((match) => !isAllowed(value.slice(match.start, match.end)));
      if (kept.length === 0) perSlot.delete(index);
      else perSlot.set(index, kept);
      for (const match of kept) {
        if (notPropagated.has(match.rule)) continue;
        const found = value.slice(match.start, match.end).trim();
        if (!weakRules.has(match.rule) || looksGenerated(found)) propagate(found, match.rule);
        for (const decoded of match.alsoRedact ?? []) propagate(decoded, match.rule);
      }
    }
    return perSlot;
  }

  /**
   * Slots are scanned in batches of at most {@link batchCharacters} (secretlint's cost is per call,
   * V8's string length is capped) as they come; only the findings are kept, by slot ordinal.
   */
  function begin(): SlotScan {
    const findings = new Map<number, RedactionMatch[]>();
    const propagated = new Map(literalValues);
    let pending: RedactionSlot[] = [];
    let pendingLength = 0;
    let scanned = 0;
    let finder: LiteralFinder | undefined;
    let finished = false;
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      pendingLength = 0;
      for (const [index, matches] of await scanBatch(batch, propagated)) findings.set(scanned + index, matches);
      scanned += batch.length;
    };
    return {
      async add(slots) {
        for (const slot of slots) {
          if (pending.length > 0 && pendingLength + slot.value.length > batchCharacters) await flush();
          pending.push(slot);
          pendingLength += slot.value.length + slotSeparator.length;
        }
      },
      async finish() {
        await flush();
        finder = createLiteralFinder(propagated);
        finished = true;
      },
      matchesOf(ordinal, value) {
        if (!finished) throw new RedactionError({ message: 'matchesOf() was called before the scan finished' });
        const matches = [...(findings.get(ordinal) ?? []), ...(value === '' || finder == null ? [] : finder.find(value))];
        return matches.length === 0 ? matches : mergeMatches(matches);
      },
    };
  }

  async function scan(slots: readonly RedactionSlot[]): Promise<SlotFindings> {
    const slotScan = begin();
    await slotScan.add(slots);
    await slotScan.finish();
    return slots.map((slot, index) => slotScan.matchesOf(index, slot.value));
  }

  const failClosed = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (RedactionError.isInstance(error)) throw error;
      throw new RedactionError({ message: error instanceof Error ? error.message : String(error), cause: error });
    }
  };
  return {
    scan: (slots) => failClosed(() => scan(slots)),
    begin() {
      const slotScan = begin();
      return { add: (slots) => failClosed(() => slotScan.add(slots)), finish: () => failClosed(() => slotScan.finish()), matchesOf: (ordinal, value) => slotScan.matchesOf(ordinal, value) };
    },
  };
}

/**
 * Builds a redactor over {@link createRedactionScanner}: each finding is replaced by
 * `[REDACTED:<rule>]` (the home directory by `~`), and counted per rule.
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const scanner = createRedactionScanner(options);

  function beginSession(): SessionRedaction {
    const slotScan = scanner.begin();
    let messageSlots = 0;
    let redactedHead: SessionHead | undefined;
    const headCounts: RedactionCounts = {};
    /** Redacts a walked value with the scan's findings, slot by slot from `ordinal`. */
    const redactFrom = <T>(value: T, ordinal: number, counts: RedactionCounts): { value: T; next: number } => {
      let next = ordinal;
      const redacted = mapSession(value, (text) => {
        const matches = slotScan.matchesOf(next, text);
        next += 1;
        if (matches.length === 0) return text;
        for (const match of matches) counts[match.rule] = (counts[match.rule] ?? 0) + 1;
        return applyMatches(text, matches);
      }) as T;
      return { value: redacted, next };
    };
    const scanValue = async (value: unknown): Promise<number> => {
      const slots: RedactionSlot[] = [];
      mapSession(value, (text, key) => {
        slots.push(key == null ? { value: text } : { value: text, key });
        return text;
      });
      await slotScan.add(slots);
      return slots.length;
    };
    return {
      async scanMessage(message) {
        if (redactedHead != null) throw new RedactionError({ message: 'scanMessage() was called after finishScan()' });
        messageSlots += await scanValue(message);
      },
      async finishScan(head) {
        await scanValue(head);
        await slotScan.finish();
        redactedHead = redactFrom(head, messageSlots, headCounts).value;
      },
      get head() {
        if (redactedHead == null) throw new RedactionError({ message: 'head was read before finishScan()' });
        return redactedHead;
      },
      get headCounts() {
        return headCounts;
      },
      pass(counts = {}) {
        let ordinal = 0;
        return (message) => {
          if (redactedHead == null) throw new RedactionError({ message: 'a message was redacted before finishScan()' });
          const redacted = redactFrom(message, ordinal, counts);
          ordinal = redacted.next;
          if (ordinal > messageSlots) throw new RedactionError({ message: `this pass walked more strings (${ordinal}) than the scan (${messageSlots}): the messages differ between passes` });
          return redacted.value;
        };
      },
    };
  }

  async function redactSlots(slots: readonly RedactionSlot[]): Promise<{ texts: string[]; counts: RedactionCounts }> {
    const findings = await scanner.scan(slots);
    const counts: RedactionCounts = {};
    const texts = slots.map((slot, index) => {
      const matches = findings[index]!;
      if (matches.length === 0) return slot.value;
      for (const match of matches) counts[match.rule] = (counts[match.rule] ?? 0) + 1;
      return applyMatches(slot.value, matches);
    });
    return { texts, counts };
  }

  return {
    async redactTexts(texts) {
      return redactSlots(texts.map((value) => ({ value })));
    },
    beginSession,
    async redactSession(session) {
      try {
        const { messages, ...head } = session;
        const redaction = beginSession();
        for (const message of messages) await redaction.scanMessage(message);
        await redaction.finishScan(head);
        const counts: RedactionCounts = { ...redaction.headCounts };
        const redact = redaction.pass(counts);
        const redactedMessages = messages.map(redact);
        // The session's own key order, messages where they were.
        const redacted: Record<string, unknown> = {};
        for (const key of Object.keys(session)) redacted[key] = key === 'messages' ? redactedMessages : (redaction.head as Record<string, unknown>)[key];
        return { session: redacted as unknown as Session, counts };
      } catch (error) {
        if (RedactionError.isInstance(error)) throw error;
        throw new RedactionError({ message: error instanceof Error ? error.message : String(error), cause: error });
      }
    },
  };
}
