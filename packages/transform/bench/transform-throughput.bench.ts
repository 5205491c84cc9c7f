// Throughput of @forge/transform over generated sessions: the whole builder, redaction alone and
// token counting alone. Usage: pnpm --filter @forge/transform bench [megabytes=300]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createDatasetBuilder, createEstimateTokenCounter, createRedactor, loadTokenizerJsonCounter, type TokenCounter } from '../src/index.js';
import { generateSession } from './generate-sessions.js';

const totalMegabytes = Number(process.argv[2] ?? 300);
const sessionBytes = 400_000;
const sessionCount = Math.ceil((totalMegabytes * 1_000_000) / sessionBytes);
const redaction = { homeDirectory: '/home/bench', userName: 'bench' };

function* sessions() {
  for (let index = 0; index < sessionCount; index += 1) yield generateSession(index, sessionBytes);
}

/**
 * Runs `work` over every session; the clocks run only inside `work`, not while generating. CPU time
 * (user + system) is reported next to wall time: on a shared machine it is the steadier figure.
 */
async function measure(label: string, work: (session: ReturnType<typeof generateSession>) => Promise<void> | void): Promise<void> {
  let bytes = 0;
  let wall = 0;
  let cpu = 0;
  for (const session of sessions()) {
    bytes += JSON.stringify(session).length;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await work(session);
    const cpuUsed = process.cpuUsage(cpuStart);
    cpu += (cpuUsed.user + cpuUsed.system) / 1000;
    wall += performance.now() - start;
  }
  const megabytes = bytes / 1_000_000;
  const rate = (milliseconds: number) => (megabytes / (milliseconds / 1000)).toFixed(1).padStart(6);
  console.log(
    `${label.padEnd(44)} ${megabytes.toFixed(1).padStart(7)} MB  wall ${(wall / 1000).toFixed(1).padStart(6)} s = ${rate(wall)} MB/s  cpu ${(cpu / 1000).toFixed(1).padStart(6)} s = ${rate(cpu)} MB/s`,
  );
}

function textsOf(session: ReturnType<typeof generateSession>): string[] {
  return session.messages.flatMap((message) => [message.text, message.reasoning.text ?? '', ...message.toolCalls.map((call) => call.arguments), message.toolResult?.text ?? '']);
}

console.log(`@forge/transform bench: ${sessionCount} sessions of ~${sessionBytes / 1000} KB (${totalMegabytes} MB of Session JSON), Node ${process.version}`);

// Rows spill to a temporary file and are read back in their final order, as the CLI does.
const spillDirectory = mkdtempSync(join(tmpdir(), 'forge-transform-bench-'));
const builder = await createDatasetBuilder({ redaction, validationRatio: 0.05, spillDirectory });
await measure('whole transform (3 formats, dedup, split)', async (session) => {
  await builder.addSession(session);
});
{
  const start = performance.now();
  let lines = 0;
  let bytes = 0;
  const result = builder.finish();
  for (const format of Object.keys(result.formats)) {
    for (const split of ['train', 'validation'] as const) {
      for (const line of result.lines(format, split)) {
        lines += 1;
        bytes += line.length + 1;
      }
    }
  }
  result.close();
  const skippedRows = result.manifest.skipped.filter((item) => item.kind === 'row').length;
  console.log(
    `  finish(): ${(performance.now() - start).toFixed(0)} ms; ${result.manifest.counts.sessions} sessions -> ${lines} lines (${(bytes / 1_000_000).toFixed(1)} MB); ${skippedRows} windows/units skipped; tokens p50 ${result.manifest.tokens.p50}, max ${result.manifest.tokens.max}`,
  );
  console.log(`  redactions ${JSON.stringify(result.manifest.redactions)}`);
  console.log(`  peak RSS so far: ${(process.resourceUsage().maxRSS / 1000).toFixed(0)} MB`);
  rmSync(spillDirectory, { recursive: true, force: true });
}

const redactor = createRedactor(redaction);
await measure('redaction (secretlint + built-in rules)', async (session) => {
  await redactor.redactSession(session);
});
const withoutSecretlint = createRedactor({ ...redaction, secretlint: false });
await measure('redaction, built-in rules only', async (session) => {
  await withoutSecretlint.redactSession(session);
});

const counters: TokenCounter[] = [
  createEstimateTokenCounter(),
  await loadTokenizerJsonCounter({ tokenizerJsonPath: fileURLToPath(new URL('../src/__fixtures__/tokenizer/tokenizer.json', import.meta.url)) }),
];
for (const counter of counters) {
  await measure(`token counting: ${counter.name}`, (session) => {
    for (const text of textsOf(session)) counter.count(text);
  });
}
