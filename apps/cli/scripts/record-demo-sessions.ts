// Records extra pi sessions for the demo corpus with the REAL pi program against the loopback stub
// model, then moves them to a Gas Town crew layout (paths rewritten, nothing else). Run once:
//   pnpm exec tsx apps/cli/scripts/record-demo-sessions.ts
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { installAgent, makeTempProject, runPi, scenarios, startStubModel } from '@forge-internal/test-agents';

const demoSessions = join(import.meta.dirname, '..', 'demo', 'home', '.pi', 'agent', 'sessions');
const crewCwd = '/home/ubuntu/gt/myrig/crew/max';
const pi = await installAgent('pi');

for (const scenario of [scenarios.thinking, scenarios.continued]) {
  const project = await makeTempProject({});
  const stub = await startStubModel({ script: scenario.script });
  try {
    let home: string | undefined;
    let files: string[] = [];
    for (const [index, prompt] of scenario.prompts.entries()) {
      const run = await runPi({ stub, cwd: project, args: index === 0 ? [prompt] : ['--continue', prompt], agent: pi, ...(home == null ? {} : { home }) });
      if (run.exitCode !== 0) throw new Error(`pi failed: ${run.stderr}`);
      home = run.home;
      files = run.sessionFiles;
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8').replaceAll(project, crewCwd);
      const folder = join(demoSessions, `--${crewCwd.slice(1).replaceAll('/', '-')}--`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, basename(file)), text);
      console.log(`${scenario.name}: ${join(folder, basename(file))}`);
    }
  } finally {
    await stub.close();
  }
}
