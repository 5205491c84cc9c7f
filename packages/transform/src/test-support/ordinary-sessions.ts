import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractClaudeSessions } from '@forge/extract-claude';
import { extractPiSessions } from '@forge/extract-pir';
import { type Session } from '@forge/schema';
import { sharedFixturesRoot } from '@forge-internal/test-agents';
import { createRedactionScanner, sessionSlots } from '../redact/redactor.js';
import { seededRandom } from './planted-corpus.js';

/** The CLI's demo corpus (`forge run --demo`): a home with .claude, .pi and .omp sessions. */
export const demoHome = fileURLToPath(new URL('../../../../apps/cli/demo/home', import.meta.url));

async function collect(sessions: AsyncIterable<Session>): Promise<Session[]> {
  const all: Session[] = [];
  for await (const session of sessions) all.push(session);
  return all;
}

/** Every session of a home folder (its .claude, .pi and .omp), read with the real readers. */
export async function readHome(home: string): Promise<Session[]> {
  const claude = existsSync(join(home, '.claude')) ? await collect(extractClaudeSessions({ roots: [join(home, '.claude')] })) : [];
  const piRoots = [join(home, '.pi', 'agent', 'sessions'), join(home, '.omp', 'agent', 'sessions')].filter((root) => existsSync(root));
  const pi = piRoots.length === 0 ? [] : await collect(extractPiSessions({ roots: piRoots, useIndex: false }));
  return [...claude, ...pi];
}

/** The public Claude Code samples, copied into a `projects` folder (the layout the reader takes). */
async function readSamples(): Promise<Session[]> {
  const folder = mkdtempSync(join(tmpdir(), 'forge-samples-'));
  try {
    for (const collection of ['claude-code-log', 'claude-code-viewer']) cpSync(join(sharedFixturesRoot, 'claude', 'samples', collection), join(folder, 'projects'), { recursive: true });
    return await collect(extractClaudeSessions({ roots: [join(folder, 'projects')] }));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The ordinary coding corpora: the demo, the real agent fixtures and the public Claude Code samples. */
export async function ordinaryCorpora(): Promise<Record<string, Session[]>> {
  const real = join(sharedFixturesRoot, 'real');
  return {
    demo: await readHome(demoHome),
    'fixtures/real': [...(await readHome(join(real, 'claude'))), ...(await readHome(join(real, 'claude-2.0.76'))), ...(await readHome(join(real, 'pi'))), ...(await readHome(join(real, 'omp')))],
    'fixtures/claude/samples': await readSamples(),
  };
}

/**
 * Text an ordinary coding session is full of and redaction must keep: commit and content hashes,
 * UUIDs, version strings, timestamps, base64 images, long numbers, ids, line numbers, IPs, dates.
 */
export function ordinaryNoise(seed: number): string {
  const random = seededRandom(seed);
  const hex = '0123456789abcdef';
  const digits = '0123456789';
  const lines: string[] = [];
  for (let index = 0; index < 40; index += 1) {
    lines.push(
      `commit ${random(40, hex)} (tag: v${index % 9}.${index % 13}.${index % 7}) Merge: ${random(7, hex)} ${random(7, hex)}`,
      `sha256:${random(64, hex)}  node_modules/.pnpm/zod@4.${index}.1/node_modules/zod/index.js`,
      `request_id=${random(8, hex)}-${random(4, hex)}-4${random(3, hex)}-a${random(3, hex)}-${random(12, hex)} at 2026-11-${String(10 + (index % 18)).padStart(2, '0')}T04:07:${String(index % 60).padStart(2, '0')}.845Z (epoch ${1_795_493_267_857 + index * 1013}, ns ${1_795_493_267_857_000_000 + index})`,
      `  ${String(index + 1).padStart(6)}\u2192  const total = ${random(16, digits)}n; // ${random(19, digits)} bytes, order #${random(12, digits)}`,
      `${random(3, digits)}.${random(2, digits)}.${random(3, digits)}.${random(2, digits)} - - [24/Nov/2026:04:07:47 +0000] "GET /api/v${index % 3}/items/${random(16, digits)} HTTP/1.1" 200 ${random(5, digits)}`,
      `npm warn deprecated glob@7.2.3; node v20.19.${index}; python 3.12.${index % 9}; chrome 131.0.6778.${random(3, digits)}; build 2026.11.24.${random(4, digits)}`,
      `    at Object.<anonymous> (/src/app/module-${index}.ts:${random(3, digits)}:${random(2, digits)}) duration ${random(4, digits)}.${random(3, digits)} ms`,
      `![screenshot](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA${random(600, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}==)`,
    );
  }
  return lines.join('\n');
}

/** Characters read, and characters the redactor would replace, per rule (home directory and user name off). */
export async function redactedShare(sessions: readonly Session[]): Promise<{ characters: number; redacted: number; byRule: Record<string, number> }> {
  const scanner = createRedactionScanner({ homeDirectory: '', userName: '' });
  let characters = 0;
  let redacted = 0;
  const byRule: Record<string, number> = {};
  for (const session of sessions) {
    const slots = sessionSlots(session);
    const findings = await scanner.scan(slots);
    for (const [index, slot] of slots.entries()) {
      characters += slot.value.length;
      for (const match of findings[index]!) {
        redacted += match.end - match.start;
        byRule[match.rule] = (byRule[match.rule] ?? 0) + match.end - match.start;
      }
    }
  }
  return { characters, redacted, byRule };
}
