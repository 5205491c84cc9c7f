import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoHome, listSessionFiles } from '@forge-internal/test-agents';
import { describe, expect, it } from 'vitest';
import { LineFields, scanClaudeLine } from './scan-claude-line.js';
import { handWrittenRoot, realRoot, samplesRoot } from './test-support/fixtures.js';

/** What `JSON.parse` makes of a line: the fields pass 1 reads, or undefined when it refuses the line. */
function parsed(line: string): LineFields | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const fields = new LineFields();
  if (typeof value === 'object' && value != null && !Array.isArray(value)) fields.fromRecord(value as Record<string, unknown>);
  return fields;
}

function scanned(line: string): LineFields | undefined {
  const fields = new LineFields();
  const bytes = Buffer.from(line);
  return scanClaudeLine(bytes, 0, bytes.length, fields) ? fields : undefined;
}

/** The fields that matter, blocks cut to their count (the slots beyond are reused storage). */
function comparable(fields: LineFields | undefined): unknown {
  if (fields == null) return undefined;
  const { blocks, blockCount, ...rest } = fields;
  return { ...rest, blocks: blocks.slice(0, blockCount) };
}

// A small deterministic generator, so a failure names the same line every run.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

async function transcriptLines(): Promise<string[]> {
  const roots = [handWrittenRoot, samplesRoot, join(realRoot, 'claude'), join(realRoot, 'claude-2.0.76'), join(demoHome, '.claude')];
  const files = (await Promise.all(roots.map((root) => listSessionFiles(root)))).flat().filter((path) => !path.endsWith('history.jsonl'));
  return files.flatMap((path) => readFileSync(path, 'utf8').split('\n')).filter((line) => line.trim() !== '');
}

describe('scanClaudeLine', () => {
  it('should read every real transcript line exactly as JSON.parse does', async () => {
    const lines = await transcriptLines();
    expect(lines.length).toBeGreaterThan(2000);
    let walked = 0;
    for (const line of lines) {
      const fields = scanned(line);
      if (fields == null) continue;
      walked += 1;
      expect(comparable(fields)).toEqual(comparable(parsed(line)));
    }
    // Only lines JSON.parse refuses too (the fixtures' torn last lines) are left to it.
    expect(walked).toBe(lines.filter((line) => parsed(line) != null).length);
  });

  it('should refuse what JSON.parse refuses, and agree on what it accepts, for damaged and re-spelled lines', async () => {
    const lines = (await transcriptLines()).filter((line) => line.length < 20_000 && parsed(line) != null);
    const next = random(11);
    const damage = ['"', '}', '{', ',', '\\', ']', '[', ':', 'x', ' ', 'tru', '1e', '-', '\\u12', '\\q', 'null'];
    let refused = 0;
    for (let round = 0; round < 6000; round += 1) {
      const line = lines[Math.floor(next() * lines.length)] ?? '';
      const at = Math.floor(next() * line.length);
      const choice = next();
      const mutated =
        choice < 0.4
          ? `${line.slice(0, at)}${damage[Math.floor(next() * damage.length)]}${line.slice(at)}`
          : choice < 0.7
            ? `${line.slice(0, at)}${line.slice(at + 1 + Math.floor(next() * 4))}`
            : choice < 0.85
              ? JSON.stringify(JSON.parse(line), null, 1).replaceAll('\n', ' ')
              : line.slice(0, at);
      const expected = parsed(mutated);
      const fields = scanned(mutated);
      if (expected == null) {
        refused += 1;
        expect([mutated, fields]).toEqual([mutated, undefined]);
      } else if (fields != null) expect(comparable(fields)).toEqual(comparable(expected));
    }
    expect(refused).toBeGreaterThan(1000);
  });

  it('should leave keys spelled with escapes, and non-object lines, to JSON.parse', () => {
    expect(scanned('{"\\u0074ype":"user","uuid":"u1"}')).toBeUndefined();
    expect(scanned('[1,2]')).toBeUndefined();
    expect(comparable(scanned(' {"type" : "summary" , "summary":"A \\"quoted\\" title","leafUuid":"l1"} \r'))).toEqual(comparable(parsed('{"type":"summary","summary":"A \\"quoted\\" title","leafUuid":"l1"}')));
  });
});
