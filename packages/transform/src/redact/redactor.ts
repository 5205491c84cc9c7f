import { homedir, userInfo } from 'node:os';
import { ForgeError, type Session } from '@forge/schema';
import {
  builtInRedactionRules,
  emailRedactionRule,
  homeDirectoryRule,
  regexRule,
  secretPlaceholder,
  userNameRule,
  type RedactionMatch,
  type RedactionRule,
} from './redaction-rules.js';
import { scanWithSecretlint } from './secretlint-scanner.js';

/** Options of {@link createRedactor}. */
export interface RedactionOptions {
  /** The home directory to replace with `~` (default: `os.homedir()`; empty string: off). */
  homeDirectory?: string;
  /** The user name to replace as a word (default: `os.userInfo().username`; empty string: off). */
  userName?: string;
  /** Replace e-mail addresses (default true). */
  emails?: boolean;
  /** More patterns to replace, each counted under its name. */
  extraPatterns?: ReadonlyArray<{ name: string; pattern: RegExp }>;
  /** Scan text with secretlint's recommend preset (default true; off only for benchmarks of the rest). */
  secretlint?: boolean;
}

/** Replacements made, per rule name. */
export type RedactionCounts = Record<string, number>;

/** A redactor: every string in, no secret out; throws {@link RedactionError} rather than pass text through unredacted. */
export interface Redactor {
  /** Redacts a list of texts as one batch (one secretlint pass). */
  redactTexts(texts: readonly string[]): Promise<{ texts: string[]; counts: RedactionCounts }>;
  /**
   * Redacts every string of a session that can reach an output: message text, reasoning, tool
   * arguments (each JSON string value, keeping the arguments valid JSON), tool results, title,
   * paths, metadata. Enum-like fields (role, provenance, timestamps, models) are left as they are.
   */
  redactSession(session: Session): Promise<{ session: Session; counts: RedactionCounts }>;
}

/** Redaction could not run; the content must not be written. */
export class RedactionError extends ForgeError {
  constructor(message: string, cause: unknown) {
    super({ message: `redaction failed: ${message}`, code: 'redaction-failed', hint: 'the session is left out of the dataset; report the error if it persists', cause });
    this.name = 'RedactionError';
  }
}

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

const sensitiveKeyName = /(?:api[_-]?key|secret|token|passw(?:or)?d|passwd|credential|private[_-]?key|access[_-]?key|authorization|cookie)/i;

/** Characters per secretlint call: big enough to amortize its per-call cost, far from V8's string limit. */
const secretlintBatchCharacters = 16_000_000;

// A separator no rule matches across: an empty line around a private-use character.
const separator = '\n\uE000\n';

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

type Slot = { value: string; sensitiveKey: boolean };

/** Walks a JSON value; `visit` sees every string (keys too) and returns its replacement. */
function mapJson(value: unknown, visit: (text: string, sensitiveKey: boolean) => string, sensitiveKey = false): unknown {
  if (typeof value === 'string') return visit(value, sensitiveKey);
  if (Array.isArray(value)) return value.map((item) => mapJson(item, visit, sensitiveKey));
  if (value != null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      result[visit(key, false)] = mapJson(child, visit, sensitiveKeyName.test(key));
    }
    return result;
  }
  return value;
}

function mapToolArguments(raw: string, visit: (text: string, sensitiveKey: boolean) => string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return visit(raw, false);
  }
  return JSON.stringify(mapJson(parsed, visit));
}

/** Walks a session like {@link mapJson}, but parses tool arguments and skips structural fields. */
function mapSession(value: unknown, visit: (text: string, sensitiveKey: boolean) => string, key?: string): unknown {
  if (key != null && structuralKeys.has(key)) return value;
  if (key === 'arguments' && typeof value === 'string') return mapToolArguments(value, visit);
  if (key === 'metadata') return mapJson(value, visit);
  if (typeof value === 'string') return visit(value, false);
  if (Array.isArray(value)) return value.map((item) => mapSession(item, visit, key === 'toolCalls' || key === 'messages' ? undefined : key));
  if (value != null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [childKey, child] of Object.entries(value as Record<string, unknown>)) result[childKey] = mapSession(child, visit, childKey);
    return result;
  }
  return value;
}

function defaultUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

/**
 * Builds a redactor: secretlint's recommend preset (without the comment filter), the built-in
 * rules (private key blocks, JWTs, AWS key ids, URL credentials, bearer tokens, secret-named
 * assignments, `.env` dumps), e-mail addresses, the home directory and the user name.
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const rules: RedactionRule[] = [...builtInRedactionRules];
  if (options.emails ?? true) rules.push(emailRedactionRule);
  const home = homeDirectoryRule(options.homeDirectory ?? homedir());
  if (home != null) rules.push(home);
  const user = userNameRule(options.userName ?? defaultUserName());
  if (user != null) rules.push(user);
  for (const extra of options.extraPatterns ?? []) rules.push(regexRule(extra.name, extra.pattern));
  const useSecretlint = options.secretlint ?? true;

  async function scanBatch(slots: readonly Slot[], perSlot: RedactionMatch[][], from: number, to: number): Promise<void> {
    const starts: number[] = [];
    let offset = 0;
    for (let index = from; index < to; index += 1) {
      starts.push(offset);
      offset += slots[index]!.value.length + separator.length;
    }
    let found: RedactionMatch[];
    try {
      found = await scanWithSecretlint(slots.slice(from, to).map((slot) => slot.value).join(separator));
    } catch (error) {
      throw new RedactionError(error instanceof Error ? error.message : String(error), error);
    }
    for (const match of found) {
      // Binary search for the slot holding the start; clip the span to each slot it covers.
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

  async function redactSlots(slots: readonly Slot[]): Promise<{ texts: string[]; counts: RedactionCounts }> {
    const counts: RedactionCounts = {};
    const perSlot: RedactionMatch[][] = slots.map(() => []);
    if (useSecretlint) {
      // One secretlint pass per batch of slots (its cost is per call), batches capped so a huge
      // session never builds one string near V8's limit.
      for (let batchStart = 0; batchStart < slots.length; ) {
        let batchEnd = batchStart;
        let batchLength = 0;
        while (batchEnd < slots.length && (batchEnd === batchStart || batchLength + slots[batchEnd]!.value.length <= secretlintBatchCharacters)) {
          batchLength += slots[batchEnd]!.value.length + separator.length;
          batchEnd += 1;
        }
        await scanBatch(slots, perSlot, batchStart, batchEnd);
        batchStart = batchEnd;
      }
    }
    const texts = slots.map((slot, index) => {
      if (slot.value === '') return slot.value;
      if (slot.sensitiveKey && slot.value.length >= 8 && !slot.value.startsWith('[REDACTED')) {
        counts['secret-assignment'] = (counts['secret-assignment'] ?? 0) + 1;
        return secretPlaceholder('secret-assignment');
      }
      const matches = perSlot[index]!;
      for (const rule of rules) matches.push(...rule.find(slot.value));
      if (matches.length === 0) return slot.value;
      const merged = mergeMatches(matches);
      for (const match of merged) counts[match.rule] = (counts[match.rule] ?? 0) + 1;
      return applyMatches(slot.value, merged);
    });
    return { texts, counts };
  }

  return {
    async redactTexts(texts) {
      return redactSlots(texts.map((value) => ({ value, sensitiveKey: false })));
    },
    async redactSession(session) {
      try {
        const slots: Slot[] = [];
        mapSession(session, (value, sensitiveKey) => {
          slots.push({ value, sensitiveKey });
          return value;
        });
        const { texts, counts } = await redactSlots(slots);
        let next = 0;
        const redacted = mapSession(session, () => texts[next++]!) as Session;
        if (next !== texts.length) throw new Error(`walked ${next} strings on the second pass, ${texts.length} on the first`);
        return { session: redacted, counts };
      } catch (error) {
        if (error instanceof RedactionError) throw error;
        throw new RedactionError(error instanceof Error ? error.message : String(error), error);
      }
    },
  };
}
