import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

type Entry = Record<string, unknown>;

/** A real-format session split into the records that start a file and the body that repeats. */
interface Template {
  flavor: 'pir' | 'pi' | 'omp';
  prefix: Entry[];
  body: Entry[];
}

const SETUP_TYPES = new Set(['model_change', 'thinking_level_change']);

/** Splits a session file into title/header/setup entries and the conversation body. */
export function loadTemplate(path: string, flavor: Template['flavor']): Template {
  const records = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Entry);
  let split = records.findIndex((record) => record.type === 'session') + 1;
  while (split < records.length && SETUP_TYPES.has(String(records[split]?.type))) split += 1;
  return { flavor, prefix: records.slice(0, split), body: records.slice(split) };
}

const hexId = (value: number): string => value.toString(16).padStart(8, '0');

const isEntry = (value: unknown): value is Entry => typeof value === 'object' && value != null && !Array.isArray(value);

/** Fresh provider response ids and tool call ids, derived from the new entry id so calls and results still pair up. */
function freshMessageIds(message: Entry, entryId: string): Entry {
  const copy: Entry = { ...message };
  if (typeof copy.responseId === 'string') copy.responseId = `resp_${entryId}`;
  if (typeof copy.toolCallId === 'string') copy.toolCallId = `${copy.toolCallId.slice(0, 12)}_${currentRepetition}`;
  if (Array.isArray(copy.content)) {
    copy.content = (copy.content as unknown[]).map((block) =>
      isEntry(block) && block.type === 'toolCall' && typeof block.id === 'string' ? { ...block, id: `${block.id.slice(0, 12)}_${currentRepetition}` } : block,
    );
  }
  return copy;
}

let currentRepetition = 0;

/**
 * Writes one session made of the template's body repeated until the file reaches `targetBytes`,
 * with a fresh session id and fresh entry ids; each repetition continues from the previous one.
 */
export function writeExpandedSession(template: Template, path: string, targetBytes: number): number {
  const fd = openSync(path, 'w');
  let written = 0;
  const write = (record: Entry): void => {
    const line = `${JSON.stringify(record)}\n`;
    written += writeSync(fd, line);
  };
  try {
    let counter = 1;
    let lastId: string | null = null;
    for (const record of template.prefix) {
      if (record.type === 'title') write(record);
      else if (record.type === 'session') {
        const header: Entry = { ...record, id: randomUUID() };
        delete header.leafId;
        write(header);
      } else {
        const id = hexId(counter++);
        write({ ...record, id, parentId: lastId ?? (record.parentId === undefined ? undefined : null) });
        lastId = id;
      }
    }
    while (written < targetBytes) {
      currentRepetition += 1;
      const repetitionMap = new Map<string, string>();
      let repetitionLast = lastId;
      for (const record of template.body) {
        const id = hexId(counter++);
        if (typeof record.id === 'string') repetitionMap.set(record.id, id);
        const oldParent = record.parentId;
        // The first body entry hangs off the setup entries (first pass) or the previous repetition.
        const parentId = typeof oldParent === 'string' && repetitionMap.has(oldParent) ? repetitionMap.get(oldParent) : lastId;
        const next: Entry = { ...record, id, parentId };
        if (isEntry(record.message)) next.message = freshMessageIds(record.message, id);
        for (const key of ['firstKeptEntryId', 'fromId', 'targetId']) {
          const value = record[key];
          if (typeof value === 'string') next[key] = repetitionMap.get(value) ?? value;
        }
        write(next);
        repetitionLast = id;
      }
      lastId = repetitionLast;
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

/** The corpus layout: many sessions of about `fileBytes` in pi- and omp-style folders, and one big file. */
export function generateCorpus(
  root: string,
  templates: Template[],
  options: { manyFilesBytes: number; fileBytes: number; bigFileBytes: number; bigTemplate: Template },
): { manyRoot: string; ompRoot: string; bigFile: string; files: number; manyBytes: number; bigBytes: number } {
  const manyRoot = join(root, 'pi', 'sessions');
  const ompRoot = join(root, 'omp', '.omp', 'agent', 'sessions');
  let manyBytes = 0;
  let files = 0;
  while (manyBytes < options.manyFilesBytes) {
    const template = templates[files % templates.length]!;
    const folder = template.flavor === 'omp' ? join(ompRoot, `-project-${files % 7}`) : join(manyRoot, `--home-ubuntu-project-${files % 7}--`);
    mkdirSync(folder, { recursive: true });
    manyBytes += writeExpandedSession(template, join(folder, `2026-11-24T04-00-00-000Z_${randomUUID()}.jsonl`), options.fileBytes);
    files += 1;
  }
  const bigFolder = join(root, 'big', '--home-ubuntu-gt-myrig-polecats-nux--');
  mkdirSync(bigFolder, { recursive: true });
  const bigFile = join(bigFolder, `2026-11-24T04-00-00-000Z_${randomUUID()}.jsonl`);
  const bigBytes = writeExpandedSession(options.bigTemplate, bigFile, options.bigFileBytes);
  return { manyRoot, ompRoot, bigFile, files, manyBytes, bigBytes };
}
