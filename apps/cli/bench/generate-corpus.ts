import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gu;
// Claude Code's message, request and tool ids: ccusage counts a response once per message id +
// request id across every file, so a copy that kept them would not be counted at all.
const claudeIdPattern = /\b(?:msg_|req_|toolu_)[A-Za-z0-9]{16,40}\b/gu;
const base62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const words = 'alpha bravo config deploy error fixture gateway handler index journal kernel loader module network output parser query router schema token update vector worker yaml zone'.split(' ');

/** A small deterministic random generator, so a corpus can be made again exactly. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? listFiles(path) : entry.name.endsWith('.jsonl') ? [path] : [];
  });
}

/** Rewrites every long string so copies are different sessions, not duplicates dedup would drop. */
function vary(value: unknown, random: () => number): unknown {
  if (typeof value === 'string') {
    if (value.length < 24 || value.startsWith('{') || /^[\w-]+$/u.test(value)) return value;
    return value.replace(/\b[a-z]{4,}\b/gu, (word) => (random() < 0.35 ? (words[Math.floor(random() * words.length)] ?? word) : word));
  }
  if (Array.isArray(value)) return value.map((item) => vary(item, random));
  if (value != null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === 'signature' ? item : vary(item, random)]));
  return value;
}

/** A line with its text varied; a line that is not JSON (a fixture's damaged line) as it is. */
function varyLine(line: string, random: () => number): string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return line;
  }
  return JSON.stringify(vary(value, random));
}

/**
 * Fills `home` with copies of the real-format demo sessions until `targetBytes` is reached: fresh
 * ids per copy (session ids, Claude line uuids, message, request and tool ids; one map per copy, so
 * a resumed session still shares its copied lines with the original), varied text, the programs'
 * own folder layout.
 */
export function generateCorpus({ templateHome, home, targetBytes, seed = 1 }: { templateHome: string; home: string; targetBytes: number; seed?: number }): { files: number; bytes: number } {
  const random = createRandom(seed);
  const templates = listFiles(templateHome).map((path) => ({ path: relative(templateHome, path), lines: readFileSync(path, 'utf8').split('\n').filter((line) => line !== '') }));
  let bytes = 0;
  let files = 0;
  for (let copy = 0; bytes < targetBytes; copy += 1) {
    const ids = new Map<string, string>();
    const fresh = (id: string) => ids.get(id) ?? (ids.set(id, randomUUID()), ids.get(id)!);
    const freshClaudeId = (id: string) => ids.get(id) ?? (ids.set(id, id.slice(0, id.indexOf('_') + 1) + Array.from({ length: id.length - id.indexOf('_') - 1 }, () => base62[Math.floor(random() * base62.length)]).join('')), ids.get(id)!);
    for (const template of templates) {
      const text = template.lines.map((line) => varyLine(line.replace(uuidPattern, fresh).replace(claudeIdPattern, freshClaudeId), random)).join('\n') + '\n';
      const path = join(home, template.path.replace(uuidPattern, fresh).replace(/(\.jsonl)$/u, `-${copy}$1`).replace(/(projects\/[^/]+)/u, `$1-${copy % 50}`).replace(/(sessions\/[^/]+)/u, `$1-${copy % 50}`));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      bytes += statSync(path).size;
      files += 1;
    }
  }
  return { files, bytes };
}
