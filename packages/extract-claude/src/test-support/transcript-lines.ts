import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoHome, listSessionFiles } from '@forge-internal/test-agents';
import { handWrittenRoot, realRoot, samplesRoot } from './fixtures.js';

/** Every non-empty line of every Claude Code transcript the repository has (hand-written, samples, real, demo home). */
export async function transcriptLines(): Promise<string[]> {
  const roots = [handWrittenRoot, samplesRoot, join(realRoot, 'claude'), join(realRoot, 'claude-2.0.76'), join(demoHome, '.claude')];
  const files = (await Promise.all(roots.map((root) => listSessionFiles(root)))).flat().filter((path) => !path.endsWith('history.jsonl'));
  return files.flatMap((path) => readFileSync(path, 'utf8').split('\n')).filter((line) => line.trim() !== '');
}

/** A small deterministic generator, so a failure names the same line every run. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

/** Bytes a damaged line may gain. */
export const lineDamage = ['"', '}', '{', ',', '\\', ']', '[', ':', 'x', ' ', 'tru', '1e', '-', '\\u12', '\\q', 'null'];

/** One of `lines`, damaged: a piece of `lineDamage` put in, a few characters taken out, re-spelled with spaces, or cut short. */
export function damagedLine(lines: readonly string[], next: () => number): string {
  const line = lines[Math.floor(next() * lines.length)] ?? '';
  const at = Math.floor(next() * line.length);
  const choice = next();
  if (choice < 0.4) return `${line.slice(0, at)}${lineDamage[Math.floor(next() * lineDamage.length)]}${line.slice(at)}`;
  if (choice < 0.7) return `${line.slice(0, at)}${line.slice(at + 1 + Math.floor(next() * 4))}`;
  if (choice < 0.85) return JSON.stringify(JSON.parse(line), null, 1).replaceAll('\n', ' ');
  return line.slice(0, at);
}
