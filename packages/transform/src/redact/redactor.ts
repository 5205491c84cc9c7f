import { homedir, userInfo } from 'node:os';
import { type Session } from '@forge/schema';
import { keyedValueMatch, looksGenerated } from './keyed-values.js';
import { paymentCardRule, phoneNumberRule } from './personal-data.js';
import { createLiteralFinder, shortestPropagatedValue } from './propagation.js';
import { regexRule, slotSeparator, type RedactionMatch, type RedactionRule } from './redaction-rule.js';
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
   * Every value redacted anywhere in the session is redacted everywhere else in it.
   */
  redactSession(session: Session): Promise<{ session: Session; counts: RedactionCounts }>;
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

/** Slots joined for one pass of secretlint and the built-in rules. */
interface Batch {
  /** The index of its first slot. */
  from: number;
  /** Where each slot starts in the batch text. */
  starts: number[];
  /** The joined text, kept for the propagation pass when the session is small enough ('' otherwise). */
  text: string;
}

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

/** Walks a JSON value; `visit` sees every string (keys too, with no key of their own) and returns its replacement. */
function mapJson(value: unknown, visit: Visit, key?: string): unknown {
  if (typeof value === 'string') return visit(value, key);
  if (Array.isArray(value)) return value.map((item) => mapJson(item, visit, key));
  if (value != null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [childKey, child] of Object.entries(value as Record<string, unknown>)) {
      result[visit(childKey, undefined)] = mapJson(child, visit, childKey);
    }
    return result;
  }
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
  if (Array.isArray(value)) return value.map((item) => mapSession(item, visit, key === 'toolCalls' || key === 'messages' ? undefined : key));
  if (value != null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [childKey, child] of Object.entries(value as Record<string, unknown>)) result[childKey] = mapSession(child, visit, childKey);
    return result;
  }
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

  /** Slots joined into batches of at most {@link batchCharacters}: secretlint's cost is per call, V8's string length is capped. */
  function batches(slots: readonly RedactionSlot[]): Batch[] {
    const result: Batch[] = [];
    for (let from = 0; from < slots.length; ) {
      let to = from;
      let length = 0;
      const starts: number[] = [];
      while (to < slots.length && (to === from || length + slots[to]!.value.length <= batchCharacters)) {
        starts.push(length);
        length += slots[to]!.value.length + slotSeparator.length;
        to += 1;
      }
      result.push({ from, starts, text: '' });
      from = to;
    }
    return result;
  }

  function batchText(slots: readonly RedactionSlot[], batch: Batch): string {
    return slots
      .slice(batch.from, batch.from + batch.starts.length)
      .map((slot) => slot.value)
      .join(slotSeparator);
  }

  /** Hands each match in a batch to the slot(s) it covers, clipped to each. */
  function distribute(batch: Batch, found: readonly RedactionMatch[], slots: readonly RedactionSlot[], perSlot: SlotFindings): void {
    const { starts, from } = batch;
    for (const match of found) {
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (starts[middle]! <= match.start) low = middle;
        else high = middle - 1;
      }
      for (let index = low; index < starts.length && starts[index]! < match.end; index += 1) {
        const slotStart = starts[index]!;
        const slotEnd = slotStart + slots[from + index]!.value.length;
        const start = Math.max(match.start, slotStart) - slotStart;
        const end = Math.min(match.end, slotEnd) - slotStart;
        if (end > start) perSlot[from + index]!.push({ ...match, start, end });
      }
    }
  }

  async function scan(slots: readonly RedactionSlot[]): Promise<SlotFindings> {
    const perSlot: SlotFindings = slots.map(() => []);
    const joined = batches(slots);
    // A session of one or two batches keeps their texts for the propagation pass; a huge one joins them again.
    const keepTexts = joined.length <= 2;
    for (const batch of joined) {
      const text = batchText(slots, batch);
      if (keepTexts) batch.text = text;
      if (useSecretlint) {
        let found: RedactionMatch[];
        try {
          found = await scanWithSecretlint(text);
        } catch (error) {
          throw new RedactionError({ message: error instanceof Error ? error.message : String(error), cause: error });
        }
        distribute(batch, found, slots, perSlot);
      }
      // One array per rule, never spread: a big session can hold more matches than a call's arguments.
      for (const rule of batchRules) distribute(batch, rule.find(text), slots, perSlot);
    }
    // Every value any rule redacts, to be redacted wherever else it appears in these slots.
    const propagated = new Map(literalValues);
    const propagate = (value: string, rule: string) => {
      if (value.length >= shortestPropagatedValue && !propagated.has(value) && !isAllowed(value)) propagated.set(value, rule);
    };
    for (const [index, slot] of slots.entries()) {
      const { value, key } = slot;
      if (value === '') continue;
      const matches = perSlot[index]!;
      const keyed = key == null ? undefined : keyedValueMatch(key, value);
      if (keyed != null) matches.push(keyed);
      for (const rule of slotRules) for (const match of rule.find(value)) matches.push(match);
      if (matches.length === 0) continue;
      const kept = matches.filter((match) => !isAllowed(value.slice(match.start, match.end)));
      perSlot[index] = kept;
      for (const match of kept) {
        if (notPropagated.has(match.rule)) continue;
        const text = value.slice(match.start, match.end).trim();
        if (!weakRules.has(match.rule) || looksGenerated(text)) propagate(text, match.rule);
        for (const decoded of match.alsoRedact ?? []) propagate(decoded, match.rule);
      }
    }
    const finder = createLiteralFinder(propagated);
    if (finder != null) for (const batch of joined) distribute(batch, finder.find(keepTexts ? batch.text : batchText(slots, batch)), slots, perSlot);
    return perSlot.map((matches) => (matches.length === 0 ? matches : mergeMatches(matches)));
  }

  return {
    async scan(slots) {
      try {
        return await scan(slots);
      } catch (error) {
        if (RedactionError.isInstance(error)) throw error;
        throw new RedactionError({ message: error instanceof Error ? error.message : String(error), cause: error });
      }
    },
  };
}

/**
 * Builds a redactor over {@link createRedactionScanner}: each finding is replaced by
 * `[REDACTED:<rule>]` (the home directory by `~`), and counted per rule.
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const scanner = createRedactionScanner(options);

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
    async redactSession(session) {
      try {
        const slots = sessionSlots(session);
        const { texts, counts } = await redactSlots(slots);
        let next = 0;
        const redacted = mapSession(session, () => texts[next++]!) as Session;
        if (next !== texts.length) throw new Error(`walked ${next} strings on the second pass, ${texts.length} on the first`);
        return { session: redacted, counts };
      } catch (error) {
        if (RedactionError.isInstance(error)) throw error;
        throw new RedactionError({ message: error instanceof Error ? error.message : String(error), cause: error });
      }
    },
  };
}
