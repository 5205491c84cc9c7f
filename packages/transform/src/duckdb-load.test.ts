import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { shareGptAlternationProblem, type Session, type ShareGptTurn } from '@forge/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatasetBuilder } from './dataset-builder.js';
import { resolveFormats } from './formats/format-registry.js';
import { allSessionFixtures, loadSessionFixture } from './test-support/fixtures.js';

/** Sessions that differ in shape: extra argument types, a hollow-only turn, kept noise, no system. */
function variedSessions(): Session[] {
  const variant = structuredClone(loadSessionFixture('omp-summary.session.json'));
  variant.id = 'omp-variant-numbers';
  variant.messages[1]!.toolCalls[0]!.arguments = '{"path":"README.md","offset":10,"tags":["a",1,null],"options":{"deep":true}}';
  variant.messages[3]!.text = 'A different answer about a different README, with more words in it.';
  return [...allSessionFixtures(), variant];
}

const workFolder = mkdtempSync(join(tmpdir(), 'forge-transform-duckdb-'));
afterAll(() => rmSync(workFolder, { recursive: true, force: true }));

describe('createDatasetBuilder output in DuckDB', () => {
  it('should load every format with read_json and write Parquet without a type conflict', async () => {
    const builder = await createDatasetBuilder({ redaction: { homeDirectory: '/home/alice', userName: 'alice' }, validationRatio: 0 });
    for (const session of variedSessions()) await builder.addSession(session);
    const { formats } = builder.finish();
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      // The default (row) formats; ATIF's arguments are free-form objects by its spec.
      for (const { name: format } of resolveFormats()) {
        const lines = formats[format]!.train;
        expect(lines.length, format).toBe(5);
        const jsonl = join(workFolder, `${format}.jsonl`);
        const parquet = join(workFolder, `${format}.parquet`);
        writeFileSync(jsonl, `${lines.join('\n')}\n`);
        const source = `read_json('${jsonl}', format = 'newline_delimited')`;
        const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
        const types = described.getRowObjects().map((row) => `${String(row.column_name)} ${String(row.column_type)}`);
        // DuckDB falls back to JSON when rows disagree on a type: that is the conflict HF datasets would refuse.
        for (const type of types) expect(type, `${format}: ${type}`).not.toMatch(/\bJSON\b/);
        await connection.run(`COPY (SELECT * FROM ${source}) TO '${parquet}' (FORMAT parquet)`);
        expect(statSync(parquet).size).toBeGreaterThan(0);
        const counted = await connection.runAndReadAll(`SELECT count(*) AS rows FROM read_parquet('${parquet}')`);
        expect(Number(counted.getRowObjects()[0]!.rows)).toBe(5);
      }
      const messagesTypes = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${join(workFolder, 'messages.parquet')}')`);
      expect(messagesTypes.getRowObjects().map((row) => String(row.column_type))).toEqual([
        'STRUCT("role" VARCHAR, "content" VARCHAR, reasoning_content VARCHAR, tool_calls STRUCT(id VARCHAR, "type" VARCHAR, "function" STRUCT("name" VARCHAR, arguments VARCHAR))[], tool_call_id VARCHAR, "name" VARCHAR, train BOOLEAN)[]',
        'STRUCT("type" VARCHAR, "function" STRUCT("name" VARCHAR, description VARCHAR, parameters VARCHAR))[]',
      ]);
      // Every ShareGPT row, as read back from Parquet, obeys LLaMA-Factory's alternation rule.
      const conversations = await connection.runAndReadAll(`SELECT to_json(conversations)::VARCHAR AS turns FROM read_parquet('${join(workFolder, 'sharegpt.parquet')}')`);
      for (const row of conversations.getRowObjects()) {
        expect(shareGptAlternationProblem(JSON.parse(String(row.turns)) as ShareGptTurn[])).toBeUndefined();
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
