import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 1024 * 1024;

/** Calls `onLine` with the text of every non-empty line, read in 1 MiB chunks and split with Buffer.indexOf. */
function forEachLine(path: string, onLine: (text: string) => void): { lines: number; bytes: number } {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let carry: Buffer | undefined;
  let lines = 0;
  let bytes = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      bytes += read;
      let chunk = buffer.subarray(0, read);
      if (carry != null) {
        chunk = Buffer.concat([carry, chunk]);
        carry = undefined;
      }
      let start = 0;
      for (;;) {
        const newline = chunk.indexOf(10, start);
        if (newline === -1) break;
        if (newline > start) {
          onLine(chunk.toString('utf8', start, newline));
          lines += 1;
        }
        start = newline + 1;
      }
      if (start < chunk.length) carry = Buffer.from(chunk.subarray(start));
    }
    if (carry != null && carry.length > 0) {
      onLine(carry.toString('utf8'));
      lines += 1;
    }
  } finally {
    closeSync(fd);
  }
  return { lines, bytes };
}

/**
 * The floor no JSONL reader can beat: read the file in 1 MiB chunks, split on newlines with
 * Buffer.indexOf, decode each line and JSON.parse it. Nothing is kept.
 */
export function floorReadFile(path: string): { lines: number; bytes: number } {
  return forEachLine(path, (text) => {
    JSON.parse(text);
  });
}

type Json = Record<string, unknown>;

/** A cheap use of a value, so the engine cannot skip reading it. */
const weigh = (value: unknown): number => (typeof value === 'string' ? value.length : value === undefined ? 0 : 1);

/** Reads every field of a parsed entry that the canonical model takes, building nothing. */
function readModelFields(entry: Json): number {
  let weight = weigh(entry.type) + weigh(entry.id) + weigh(entry.parentId) + weigh(entry.timestamp);
  const message = entry.message as Json | undefined;
  if (message == null) return weight;
  weight += weigh(message.role) + weigh(message.timestamp) + weigh(message.model) + weigh(message.provider) + weigh(message.stopReason);
  weight += weigh(message.errorMessage) + weigh(message.responseId) + weigh(message.toolCallId) + weigh(message.toolName) + weigh(message.isError) + weigh(message.details);
  const usage = message.usage as Json | undefined;
  if (usage != null) weight += weigh(usage.input) + weigh(usage.output) + weigh(usage.cacheRead) + weigh(usage.cacheWrite);
  const content = message.content;
  if (typeof content === 'string') return weight + content.length;
  if (Array.isArray(content)) {
    for (const block of content as Json[]) weight += weigh(block.type) + weigh(block.text) + weigh(block.thinking) + weigh(block.arguments) + weigh(block.id) + weigh(block.name);
  }
  return weight;
}

/**
 * The floor plus reading every field the canonical model takes from each entry, with no object
 * built and nothing kept: a lower bound for any reader that maps pi entries, whatever its design.
 */
export function fieldReadBound(path: string): { lines: number; bytes: number; weight: number } {
  let weight = 0;
  const counts = forEachLine(path, (text) => {
    weight += readModelFields(JSON.parse(text) as Json);
  });
  return { ...counts, weight };
}
