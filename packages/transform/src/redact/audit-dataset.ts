import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { compareStrings } from '../conversation/infer-tool-definitions.js';
import { type RedactionMatch } from './redaction-rule.js';
import { createRedactionScanner, type RedactionCounts, type RedactionOptions, type RedactionSlot } from './redactor.js';

/** One thing the redactor would replace in a dataset file. */
export interface AuditFinding {
  /** The file, relative to the audited folder, with `/` separators. */
  file: string;
  /** The 1-based line of a JSON Lines or text file; absent for a whole JSON document (`manifest.json`). */
  row?: number;
  /** The JSON path of the string (`messages[2].content`, `conversations[0].value`; `…arguments.command` inside a JSON string); `""` for a line of text. */
  field: string;
  /** The rule that found it (`github`, `secret-assignment`, `email`, …). */
  rule: string;
  /** Where in the string: UTF-16 offsets. */
  start: number;
  end: number;
  /** Up to 40 characters either side (white space folded), every finding in it replaced by its placeholder: no secret is shown. */
  context: string;
}

/** A line that is not JSON: it was scanned as text, and is reported so it does not pass unnoticed. */
export interface AuditWarning {
  file: string;
  row: number;
  message: string;
}

export interface AuditReport {
  filesScanned: number;
  rowsScanned: number;
  findings: AuditFinding[];
  /** Findings per rule. */
  counts: RedactionCounts;
  warnings: AuditWarning[];
}

/** Up to 40 characters either side of `match`, with it and every other finding in reach replaced (whole, never cut in two). */
function contextOf(text: string, match: RedactionMatch, matches: readonly RedactionMatch[]): string {
  let start = Math.max(0, match.start - 40);
  let end = Math.min(text.length, match.end + 40);
  for (const other of matches) {
    if (other.end > start && other.start < start) start = other.start;
    if (other.start < end && other.end > end) end = other.end;
  }
  let context = '';
  let cursor = start;
  for (const other of matches) {
    if (other.start < start || other.end > end) continue;
    context += text.slice(cursor, other.start) + other.replacement;
    cursor = other.end;
  }
  return (context + text.slice(cursor, end)).replace(/\s+/g, ' ');
}

/**
 * The files an audit reads: JSON Lines (every forge format), JSON documents (the manifest,
 * dataset_info.json), YAML, and the dataset card and report (manifest text, read line by line).
 * Parquet shards hold the JSONL's rows again, so the JSONL stands for them.
 */
const auditedExtensions = ['.jsonl', '.json', '.yaml', '.yml', '.md', '.html'];

/** Characters of rows scanned together: one secretlint pass per batch, as the redactor does per session. */
const batchCharacters = 4_000_000;

interface PendingSlot extends RedactionSlot {
  file: string;
  row: number | undefined;
  field: string;
}

function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (parent === '' ? key : `${parent}.${key}`) : `${parent}[${JSON.stringify(key)}]`;
}

/** Every string of a parsed value (keys too), with its path; JSON held in a string (tool arguments) is walked too. */
function collectStrings(value: unknown, path: string, key: string | undefined, into: Array<{ value: string; field: string; key?: string }>): void {
  if (typeof value === 'string') {
    const trimmed = value.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(value);
        if (parsed != null && typeof parsed === 'object') {
          collectStrings(parsed, path, key, into);
          return;
        }
      } catch {
        // Not JSON: scanned as the text it is.
      }
    }
    into.push(key == null ? { value, field: path } : { value, field: path, key });
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) collectStrings(item, fieldPath(path, index), key, into);
  } else if (value != null && typeof value === 'object') {
    for (const [childKey, child] of Object.entries(value as Record<string, unknown>)) {
      const childPath = fieldPath(path, childKey);
      into.push({ value: childKey, field: `${childPath} (key)` });
      collectStrings(child, childPath, childKey, into);
    }
  }
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && auditedExtensions.some((extension) => entry.name.endsWith(extension)))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort(compareStrings);
}

/**
 * Scans an existing dataset folder (any forge format: every `.jsonl` under it, the manifest and
 * other `.json`/`.yaml` files included) with the redactor's rules, and reports what redaction
 * would replace, by file, row and field. A last gate before a dataset is shared: an empty
 * `findings` means nothing the rules know is left. Nothing is written.
 */
export async function auditDataset(folder: string, options: RedactionOptions = {}): Promise<AuditReport> {
  const scanner = createRedactionScanner(options);
  const findings: AuditFinding[] = [];
  const warnings: AuditWarning[] = [];
  const counts: RedactionCounts = {};
  let pending: PendingSlot[] = [];
  let pendingCharacters = 0;
  let rowsScanned = 0;

  async function flush(): Promise<void> {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pendingCharacters = 0;
    const found = await scanner.scan(batch);
    for (const [index, slot] of batch.entries()) {
      const matches = found[index]!;
      for (const match of matches) {
        counts[match.rule] = (counts[match.rule] ?? 0) + 1;
        findings.push({
          file: slot.file,
          ...(slot.row == null ? {} : { row: slot.row }),
          field: slot.field,
          rule: match.rule,
          start: match.start,
          end: match.end,
          context: contextOf(slot.value, match, matches),
        });
      }
    }
  }

  async function add(file: string, row: number | undefined, strings: Array<{ value: string; field: string; key?: string }>): Promise<void> {
    for (const item of strings) {
      if (item.value === '') continue;
      pending.push({ ...item, file, row });
      pendingCharacters += item.value.length;
    }
    if (pendingCharacters >= batchCharacters) await flush();
  }

  const files = await listFiles(folder);
  for (const path of files) {
    const file = relative(folder, path).split(sep).join('/');
    if (path.endsWith('.json')) {
      const text = await readFile(path, 'utf8');
      const strings: Array<{ value: string; field: string; key?: string }> = [];
      try {
        collectStrings(JSON.parse(text), '', undefined, strings);
      } catch (error) {
        warnings.push({ file, row: 1, message: `not valid JSON (${(error as Error).message}); scanned as text` });
        strings.push({ value: text, field: '' });
      }
      rowsScanned += 1;
      await add(file, undefined, strings);
      continue;
    }
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let row = 0;
    for await (const line of lines) {
      row += 1;
      if (line.trim() === '') continue;
      rowsScanned += 1;
      const strings: Array<{ value: string; field: string; key?: string }> = [];
      if (path.endsWith('.jsonl')) {
        try {
          collectStrings(JSON.parse(line), '', undefined, strings);
        } catch (error) {
          warnings.push({ file, row, message: `not valid JSON (${(error as Error).message}); scanned as text` });
          strings.push({ value: line, field: '' });
        }
      } else {
        strings.push({ value: line, field: '' });
      }
      await add(file, row, strings);
    }
  }
  await flush();
  findings.sort((left, right) => compareStrings(left.file, right.file) || (left.row ?? 0) - (right.row ?? 0) || compareStrings(left.field, right.field) || left.start - right.start);
  return { filesScanned: files.length, rowsScanned, findings, counts: Object.fromEntries(Object.entries(counts).sort(([left], [right]) => compareStrings(left, right))), warnings };
}
