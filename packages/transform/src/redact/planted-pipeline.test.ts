import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractClaudeSessions } from '@forge/extract-claude';
import { extractPiSessions } from '@forge/extract-pir';
import { type Session } from '@forge/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetBuilder } from '../dataset-builder.js';
import { writeDataset } from '../output/write-dataset.js';
import { corpusText, plantedCorpus, secretCores } from '../test-support/planted-corpus.js';
import { writePlantedHome, type PlantedTranscript } from '../test-support/planted-transcripts.js';
import { auditDataset } from './audit-dataset.js';
import { createRedactor } from './redactor.js';

// The planted copies live under a home named /home/alice in their paths; this machine's home is not it.
const redaction = { homeDirectory: '/home/alice', userName: 'alice' };

let root: string;
let planted: PlantedTranscript[];
let sessions: Session[];

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every planted secret (and its 16-character core) that appears in `text`, named by source, place and kind. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const transcript of planted) {
    for (const kind of transcript.kinds) {
      for (const secret of kind.secrets) {
        for (const part of secretCores(secret)) if (text.includes(part)) found.push(`${transcript.source} ${transcript.place} ${kind.kind}: ${part.length === secret.length ? 'whole' : 'part'}`);
      }
    }
  }
  return found;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'forge-planted-'));
  const home = join(root, 'home');
  planted = writePlantedHome(home);
  sessions = [];
  for await (const session of extractClaudeSessions({ roots: [join(home, '.claude')] })) sessions.push(session);
  for await (const session of extractPiSessions({ roots: [join(home, '.pi', 'agent', 'sessions')], useIndex: false })) sessions.push(session);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('planted secrets through the real readers, builder and file writer', () => {
  it('should read a session for every planted transcript, the subagent included', () => {
    for (const transcript of planted) {
      const session = sessions.find((candidate) => JSON.stringify(candidate.messages).includes(transcript.marker.slice(0, 40)));
      expect(session, `${transcript.source} ${transcript.place}`).toBeDefined();
      if (transcript.place === 'subagent') expect(session!.isSubagent).toBe(true);
    }
    // The corpus really sits where it was planted, as the readers see it.
    const titled = sessions.filter((session) => session.title?.includes('Item 1 (age-secret-key)'));
    expect(titled.map((session) => session.source).sort()).toEqual(['claude-code', 'pi']);
    expect(sessions.some((session) => JSON.stringify(session.messages.map((message) => message.metadata ?? null)).includes('Item 1 (age-secret-key)'))).toBe(true);
  });

  it('should write no planted secret to any output file, the manifest included, and emit every planted session', async () => {
    const out = join(root, 'dataset');
    const builder = await createDatasetBuilder({ redaction, validationRatio: 0.3, spillDirectory: mkdtempSync(join(root, 'spill-')) });
    for (const session of sessions) expect((await builder.addSession(session)).status, session.id).toBe('accepted');
    // Written as forge run writes it: every format's rows, the sidecars and the manifest.
    const result = builder.finish();
    await writeDataset(out, result, { forgeVersion: '0.0.0', options: {}, inputs: [], skippedFiles: [], warnings: 0 });
    const rows = Object.keys(result.formats)
      .flatMap((format) => [...result.lines(format, 'train'), ...result.lines(format, 'validation')])
      .join('\n');
    result.close();

    // Every planted copy was emitted, none dropped as a duplicate: its marker is in the rows.
    expect(result.manifest.counts.sessions).toBe(sessions.length);
    for (const transcript of planted) {
      expect(rows.includes(transcript.marker.slice(0, 40)), `${transcript.source} ${transcript.place} emitted`).toBe(true);
    }
    const files = filesUnder(out);
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const file of files) expect(leaks(readFileSync(file, 'utf8')), file).toEqual([]);
    // And the rules counted what they replaced, propagation included.
    for (const rule of ['secret-assignment', 'basic-auth', 'url-credentials', 'age-secret-key', 'password-hash', 'phone-number', 'payment-card', 'signed-url', 'email']) {
      expect(result.manifest.redactions[rule] ?? 0, rule).toBeGreaterThan(0);
    }

    // The dataset passes its own audit: nothing the rules know is left.
    const audit = await auditDataset(out, redaction);
    expect(audit.findings.map((finding) => `${finding.file}:${finding.row} ${finding.field} ${finding.rule} ${finding.context}`)).toEqual([]);
    expect(audit.filesScanned).toBe(files.length);
  });

  it('should leave no planted secret in the redacted sessions themselves (title, Claude toolUseResult, every field forge extract writes)', async () => {
    const redactor = createRedactor(redaction);
    for (const session of sessions) {
      const { session: redacted } = await redactor.redactSession(session);
      expect(leaks(JSON.stringify(redacted)), `${session.source} ${session.id}`).toEqual([]);
    }
  });
});

describe('auditDataset', () => {
  it('should report each planted kind of an unredacted dataset with its file, row and field', async () => {
    const folder = join(root, 'unredacted');
    mkdirSync(join(folder, 'messages'), { recursive: true });
    const kinds = plantedCorpus(5);
    const lines = kinds.map((kind) => JSON.stringify({ messages: [{ role: 'user', content: 'Check this.' }, { role: 'assistant', content: '', tool_calls: [{ function: { name: 'bash', arguments: JSON.stringify({ command: kind.snippet }) } }] }] }));
    writeFileSync(join(folder, 'messages', 'train.jsonl'), `${lines.join('\n')}\n`);
    writeFileSync(join(folder, 'manifest.json'), JSON.stringify({ options: { note: corpusText(kinds.slice(0, 1)) } }));
    const report = await auditDataset(folder, redaction);
    for (const [index, kind] of kinds.entries()) {
      const findings = report.findings.filter((finding) => finding.file === 'messages/train.jsonl' && finding.row === index + 1);
      expect(findings.length, kind.kind).toBeGreaterThan(0);
      expect(findings.every((finding) => finding.field.startsWith('messages[1].tool_calls[0].function.arguments.command')), kind.kind).toBe(true);
    }
    const manifestFinding = report.findings.find((finding) => finding.file === 'manifest.json');
    expect(manifestFinding).toMatchObject({ field: 'options.note', rule: 'age-secret-key' });
    expect(manifestFinding?.row).toBeUndefined();
    // The report never shows a secret.
    expect(leaks(JSON.stringify(report))).toEqual([]);
    for (const kind of kinds) for (const secret of kind.secrets) expect(JSON.stringify(report).includes(secret), kind.kind).toBe(false);
    expect(report.rowsScanned).toBe(kinds.length + 1);
  });
});
