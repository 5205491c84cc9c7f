import { isJsonObject, stringField, type JsonObject } from '@forge/reader-kit';
import { isoTimestamp } from './iso-timestamp.js';

/** Which program wrote a pi-family file: pir (pi_agent_rust), TS pi, or omp (oh-my-pi). */
export type PiFlavor = 'pir' | 'pi' | 'omp';

/** The session header (line 1, or line 2 after omp's title slot). */
export interface PiHeader {
  id: string;
  /** 1 when the header has no version (TS v1). */
  version: number;
  timestamp: string | undefined;
  cwd: string;
  /** pir's persisted current leaf: undefined = natural tip, '' = root (no active path). */
  leafId: string | undefined;
  thinkingLevel: string | undefined;
  /** The session this one was forked from (`branchedFrom` or `parentSession`). */
  forkedFrom: string | undefined;
  title: string | undefined;
}

/** The header fields a reader uses; `title` falls back to omp's title slot. */
export function readHeader(value: JsonObject, title: string | undefined): PiHeader {
  const version = typeof value.version === 'number' ? value.version : 1;
  return {
    id: stringField(value, 'id') ?? '',
    version,
    timestamp: isoTimestamp(value.timestamp),
    cwd: stringField(value, 'cwd') ?? '',
    leafId: stringField(value, 'leafId'),
    thinkingLevel: stringField(value, 'thinkingLevel'),
    forkedFrom: stringField(value, 'branchedFrom') ?? stringField(value, 'parentSession'),
    title: stringField(value, 'title') ?? (title === '' ? undefined : title),
  };
}

/**
 * pir writes provider/model fields into the header and omits `parentId` on root entries; TS pi
 * writes neither (pi-family.md §2.1, §2.2). Used only when the file has no omp title slot.
 */
export function detectFlavor(headerValue: JsonObject, firstEntry: JsonObject | undefined, omp: boolean): PiFlavor {
  if (omp) return 'omp';
  if (headerValue.version !== 3) return 'pi';
  const pirKeys = ['provider', 'modelId', 'thinkingLevel', 'leafId', 'fallbackProvider', 'fallbackModelId', 'branchedFrom'];
  if (pirKeys.some((key) => key in headerValue)) return 'pir';
  if (firstEntry != null && !('parentId' in firstEntry)) return 'pir';
  return 'pi';
}

/** A file's opening records as discovery, `detect` and the reader see them. */
export interface HeaderRecords {
  /** The `{"type":"session",…}` header (with a string id). */
  header: JsonObject;
  /** The file starts with omp's title slot (a fixed-width record the title is rewritten into). */
  titleSlot: boolean;
  /** The title the slot holds. */
  slotTitle: string | undefined;
  /** The first entry after the header, which tells pir (no root `parentId`) from TS pi. */
  firstEntry: JsonObject | undefined;
}

/**
 * The header among a file's first records (`undefined` stands for a line that is not JSON):
 * the first record, or the second after omp's title slot. Undefined when there is none.
 */
export function findHeader(records: readonly unknown[]): HeaderRecords | undefined {
  const first = records[0];
  const titleSlot = isJsonObject(first) && first.type === 'title';
  const header = titleSlot ? records[1] : first;
  if (!isJsonObject(header) || header.type !== 'session' || typeof header.id !== 'string') return undefined;
  const firstEntry = titleSlot ? records[2] : records[1];
  return { header, titleSlot, slotTitle: titleSlot && isJsonObject(first) ? stringField(first, 'title') : undefined, firstEntry: isJsonObject(firstEntry) ? firstEntry : undefined };
}
