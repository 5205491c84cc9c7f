import { chmod, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  installAgent,
  makeTempHome,
  makeTempProject,
  readJsonlRecords,
  runOmp,
  runPi,
  withStubModel,
  type InstalledAgent,
  type ScenarioTurn,
} from '@forge-internal/test-agents';
import { forgeEntryTypes, parseForgeAgentEntry, parseForgeBeadsEntry, parseForgeTurnEntry } from '@forge/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { installExtensions } from './install-extensions.js';
import { ensureExtensionBundles } from './test-support/ensure-extension-bundles.js';

// A tool argument that a shell would run: quotes, $(…) and backticks, each touching a marker file.
const payload = `it's "quoted" $(touch FORGE_MARKER) \`touch FORGE_MARKER\``;
const closeReason = `fixed: "${payload}"`;

// Stand-in for the beads CLI: its npm package downloads a native binary at install time, which
// cannot run here. It prints bd's own success lines (steveyegge/beads cmd/bd/close.go, update.go).
const fakeBd = `#!/bin/sh
command="$1"; shift
case "$command" in
  update) echo "✓ Updated issue: $1" ;;
  close) echo "✓ Closed $1: done" ;;
  *) echo "Error: unknown command $command" >&2; exit 1 ;;
esac
`;

const usage = (index: number) => ({ input: 10 + index, output: 20 + index, cacheRead: 0, cacheWrite: 0 });

/** Five answers: a bash call, a failing read, a write whose arguments hold the payload, bd calls, a final text. */
const script: ScenarioTurn[] = [
  { text: 'Looking around.', toolCalls: [{ name: 'bash', input: { command: 'ls' } }], usage: usage(0) },
  { toolCalls: [{ name: 'read', input: { path: 'missing.txt' }, expectError: true }], usage: usage(1) },
  { text: 'Writing notes.', toolCalls: [{ name: 'write', input: { path: `notes/${payload}.txt`, content: `${payload}\n` } }], usage: usage(2) },
  {
    toolCalls: [{ name: 'bash', input: { command: `./bin/bd update gt-k3m9p --claim && ./bin/bd close gt-k3m9p --reason '${closeReason.replaceAll("'", `'"'"'`)}'` } }],
    usage: usage(3),
  },
  { text: 'Done: gt-k3m9p is closed.', usage: usage(4) },
];

/** Every file under a folder named exactly `name`. */
async function filesNamed(root: string, name: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.name === name).map((entry) => join(entry.parentPath, entry.name));
}

describe.each([
  { client: 'pi', run: runPi },
  { client: 'omp', run: runOmp },
] as const)('the extensions in the real $client', ({ client, run }) => {
  let agent: InstalledAgent;
  beforeAll(async () => {
    await ensureExtensionBundles();
    agent = await installAgent(client);
  });

  // omp (bun) needs a good part of a minute on a loaded 2-core machine.
  it('should write entries that match the scripted tool calls, run nothing the arguments hold, and tag the closed bead', { timeout: 180_000 }, async () => {
    const home = await makeTempHome();
    const installed = await installExtensions({ harness: client, env: { HOME: home } });
    expect(installed.dir).toBe(join(home, `.${client}`, 'agent', 'extensions'));
    const cwd = await makeTempProject({ 'bin/bd': fakeBd });
    await chmod(join(cwd, 'bin', 'bd'), 0o755);

    await withStubModel({ script }, async (stub) => {
      const result = await run({ stub, cwd, home, args: ['Tidy up and close gt-k3m9p.'], agent });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stderr).not.toContain('[forge');
      expect(stub.unservedTurns()).toEqual([]);
      const records = await readJsonlRecords(result.sessionFiles[0]!);
      const custom = (type: string) => records.filter((record) => record.type === 'custom' && record.customType === type).map((record) => record.data);

      const turns = custom(forgeEntryTypes.turn).map((data) => parseForgeTurnEntry(data));
      const served = stub.mainServed();
      expect(turns).toHaveLength(script.length);
      turns.forEach((turn, index) => {
        const scripted = script[index]!.toolCalls ?? [];
        expect(turn.turnIndex).toBe(index);
        expect(turn.durationMs).toBeGreaterThanOrEqual(0);
        expect(turn.stopReason).toBe(scripted.length > 0 ? 'toolUse' : 'stop');
        expect(turn.tools.map(({ durationMs: _durationMs, ...tool }) => tool)).toEqual(
          scripted.map((call, callIndex) => ({
            toolCallId: served[index]!.toolCallIds[callIndex],
            toolName: call.name,
            argumentKeys: Object.keys(call.input),
            isError: call.expectError === true,
          })),
        );
        for (const tool of turn.tools) expect(tool.durationMs).toBeGreaterThanOrEqual(0);
      });

      const [agentEntry] = custom(forgeEntryTypes.agent).map((data) => parseForgeAgentEntry(data));
      expect(agentEntry).toMatchObject({ turns: 5, toolCalls: 4, toolErrors: 1 });
      expect(agentEntry!.durationMs).toBeGreaterThan(0);

      const [beads] = custom(forgeEntryTypes.beads).map((data) => parseForgeBeadsEntry(data));
      const bdCallId = served[3]!.toolCallIds[0]!;
      expect(beads).toEqual({
        v: 1,
        closed: ['gt-k3m9p'],
        updated: [],
        operations: [
          { toolCallId: bdCallId, program: 'bd', command: 'update', beadIds: ['gt-k3m9p'], status: 'in_progress', isError: false, confirmed: true },
          { toolCallId: bdCallId, program: 'bd', command: 'close', beadIds: ['gt-k3m9p'], status: 'closed', reason: closeReason, isError: false, confirmed: true },
        ],
      });
      // Argument values never reach the entries; the payload's file exists; no marker anywhere.
      expect(JSON.stringify(turns)).not.toContain('FORGE_MARKER');
      expect(await filesNamed(cwd, `${payload}.txt`)).toHaveLength(1);
      expect([...(await filesNamed(cwd, 'FORGE_MARKER')), ...(await filesNamed(home, 'FORGE_MARKER'))]).toEqual([]);
    });
  });
});
