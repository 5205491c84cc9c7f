import { describe, expect, it } from 'vitest';
import { LineFields, scanClaudeLine } from './scan-claude-line.js';
import { damagedLine, random, transcriptLines } from './test-support/transcript-lines.js';

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
    let refused = 0;
    for (let round = 0; round < 6000; round += 1) {
      const mutated = damagedLine(lines, next);
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
