import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gu;
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

/**
 * Fills `home` with copies of the real-format demo sessions until `targetBytes` is reached: fresh
 * uuids per copy (session ids, Claude line uuids), varied text, the programs' own folder layout.
 */
export function generateCorpus({ templateHome, home, targetBytes, seed = 1 }: { templateHome: string; home: string; targetBytes: number; seed?: number }): { files: number; bytes: number } {
  const random = createRandom(seed);
  const templates = listFiles(templateHome).map((path) => ({ path: relative(templateHome, path), lines: readFileSync(path, 'utf8').split('\n').filter((line) => line !== '') }));
  let bytes = 0;
  let files = 0;
  for (let copy = 0; bytes < targetBytes; copy += 1) {
    for (const template of templates) {
      const ids = new Map<string, string>();
      const fresh = (id: string) => ids.get(id) ?? (ids.set(id, randomUUID()), ids.get(id)!);
      const text = template.lines.map((line) => JSON.stringify(vary(JSON.parse(line.replace(uuidPattern, fresh)), random))).join('\n') + '\n';
      const path = join(home, template.path.replace(uuidPattern, fresh).replace(/(\.jsonl)$/u, `-${copy}$1`).replace(/(projects\/[^/]+)/u, `$1-${copy % 50}`).replace(/(sessions\/[^/]+)/u, `$1-${copy % 50}`));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      bytes += statSync(path).size;
      files += 1;
    }
  }
  return { files, bytes };
}
