import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { installAgent } from '@forge-internal/test-agents';
import { emptyUsage, type Session, type Usage } from '@forge/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from './test-support/temp-dirs.js';
import { extractClaudeSessions } from './extract-claude-sessions.js';
import { copyToTemp, handWrittenRoot, realRoot, samplesAsConfigDir, type JsonLine } from './test-support/fixtures.js';

const run = promisify(execFile);

interface CcusageSession {
  period: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

/** ccusage's `session` key: the transcript file name, with `<session>/subagents/**` counted under the session. */
function ccusagePeriod(path: string): string {
  const marker = path.lastIndexOf('/subagents/');
  return marker === -1 ? basename(path, '.jsonl') : basename(path.slice(0, marker));
}

function add(left: Usage, right: Usage): Usage {
  return { input: left.input + right.input, output: left.output + right.output, cacheRead: left.cacheRead + right.cacheRead, cacheWrite: left.cacheWrite + right.cacheWrite };
}

/** Usage of the responses in a file that no extracted message carries (abandoned rewind branches). */
async function usageOutside(path: string, sessions: readonly Session[]): Promise<Usage> {
  const carried = new Set(sessions.flatMap((session) => session.messages.flatMap((message) => message.sourceIds ?? [])));
  const best = new Map<string, Usage>();
  for (const text of (await readFile(path, 'utf8')).split('\n')) {
    if (!text.includes('"assistant"')) continue;
    let line: JsonLine;
    try {
      line = JSON.parse(text);
    } catch {
      continue;
    }
    const id = line?.message?.id;
    if (line.type !== 'assistant' || id == null || carried.has(id) || line.message.usage == null) continue;
    const raw = line.message.usage;
    const usage = { input: raw.input_tokens ?? 0, output: raw.output_tokens ?? 0, cacheRead: raw.cache_read_input_tokens ?? 0, cacheWrite: raw.cache_creation_input_tokens ?? 0 };
    const key = `${id}:${line.requestId}`;
    const previous = best.get(key);
    const total = (value: Usage) => value.input + value.output + value.cacheRead + value.cacheWrite;
    if (previous == null || total(usage) >= total(previous)) best.set(key, usage);
  }
  let sum = emptyUsage();
  for (const usage of best.values()) sum = add(sum, usage);
  return sum;
}

afterAll(removeTempDirs);

describe('extractClaudeSessions against ccusage', () => {
  let ccusage: string[] = [];
  beforeAll(async () => {
    ccusage = (await installAgent('ccusage')).command;
  });

  it('should agree with ccusage session --json --offline per session on input, output, cache read and cache write', async () => {
    const roots = [
      await copyToTemp(handWrittenRoot),
      await samplesAsConfigDir(),
      await copyToTemp(join(realRoot, 'claude', '.claude')),
      await copyToTemp(join(realRoot, 'claude-2.0.76', '.claude')),
    ];
    const home = await makeTempDir('forge-ccusage-home-');
    const [program, ...prefix] = ccusage;
    const { stdout } = await run(program!, [...prefix, 'session', '--json', '--offline'], {
      env: { PATH: process.env.PATH, HOME: home, CLAUDE_CONFIG_DIR: roots.join(',') },
      maxBuffer: 64 * 1024 * 1024,
    });
    const theirs = new Map<string, Usage>();
    for (const entry of (JSON.parse(stdout) as { session: CcusageSession[] }).session) {
      theirs.set(entry.period, { input: entry.inputTokens, output: entry.outputTokens, cacheRead: entry.cacheReadTokens, cacheWrite: entry.cacheCreationTokens });
    }

    const sessions: Session[] = [];
    for await (const session of extractClaudeSessions({ roots })) sessions.push(session);
    const ours = new Map<string, Usage>();
    const filesByPeriod = new Map<string, Set<string>>();
    for (const session of sessions) {
      const file = session.files[0]!;
      const period = ccusagePeriod(file);
      ours.set(period, add(ours.get(period) ?? emptyUsage(), session.usage));
      filesByPeriod.set(period, (filesByPeriod.get(period) ?? new Set()).add(file));
    }

    // Fixture 6 resumes fixture 5 and copies its lines: we keep the copies in the earlier session
    // (5), ccusage in whichever file it reads first. The pair's total must agree.
    const resumePair = ['d7c3835b-abb1-4df7-824f-1449e21f8053', '72eefe99-4807-419a-9f07-2c6140e3343e'];
    const pairTotal = (usages: Map<string, Usage>) => resumePair.reduce((sum, period) => add(sum, usages.get(period) ?? emptyUsage()), emptyUsage());
    expect(pairTotal(ours)).toEqual(pairTotal(theirs));

    // Sample R5 has a rewind: ccusage counts the abandoned branch, a trajectory does not.
    const rewound = new Set(['03eb5929-52b3-4b13-ada3-b93ae35806b8']);
    const periods = new Set([...ours.keys(), ...theirs.keys()]);
    expect(periods.size).toBeGreaterThan(15);
    for (const period of periods) {
      if (resumePair.includes(period)) continue;
      const files = [...(filesByPeriod.get(period) ?? [])];
      const outside = (await Promise.all(files.map((file) => usageOutside(file, sessions)))).reduce(add, emptyUsage());
      const mine = ours.get(period) ?? emptyUsage();
      if (rewound.has(period)) {
        expect(outside.input + outside.output).toBeGreaterThan(0);
        expect(add(mine, outside), period).toEqual(theirs.get(period));
      } else {
        expect(mine, period).toEqual(theirs.get(period));
      }
    }
    expect(dirname(roots[0]!)).toBe(tmpdir());
  });
});
