import { summarizeSession, type SessionSummary } from '@forge/schema';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { renderTable } from '../render/table.js';
import { writeJsonLines } from '../render/write-json-lines.js';
import { type StatsOptions } from './command-options.js';
import { loadSessions } from './load-sessions.js';
import { readSummaries, type CollectedSummaries } from './read-summaries.js';

/**
 * `forge stats`: sessions by source, Gas Town role and model, with turns, tool calls, errors and
 * tokens. Read through the usage path (`readSummaries`); `--whole-sessions` reads whole Sessions
 * as every other command does, for checking that both print the same.
 */
export async function statsCommand(options: StatsOptions, io: CliIo): Promise<ExitCode> {
  const collected = options.wholeSessions ? await wholeSessionSummaries(options, io) : await readSummaries(options, io);
  const { summaries } = collected;
  if (options.json) {
    await writeJsonLines(io.stdout, summaries);
  } else {
    io.stdout.write(renderTable(['source', 'role', 'model', 'sessions', 'turns', 'tool calls', 'tool errors', 'input', 'output', 'cache read', 'cache write'], groupRows(summaries)));
    io.stdout.write(`\n${summaries.length} sessions from ${collected.files} files; ${collected.skippedFiles.length} files skipped\n`);
  }
  return summaries.some((summary) => summary.warnings > 0) || collected.fileWarnings.length > 0 ? exitCodes.doneWithWarnings : exitCodes.ok;
}

async function wholeSessionSummaries(options: StatsOptions, io: CliIo): Promise<CollectedSummaries> {
  const collected = await loadSessions(options, io);
  return { summaries: collected.sessions.map(summarizeSession), files: collected.inputs.length, skippedFiles: collected.skippedFiles, fileWarnings: collected.fileWarnings };
}

function groupRows(summaries: readonly SessionSummary[]): (string | number)[][] {
  const groups = new Map<string, { key: string[]; rows: SessionSummary[] }>();
  for (const summary of summaries) {
    const key = [summary.source, summary.role, summary.models[0] ?? '(none)'];
    const id = key.join('\u0000');
    const group = groups.get(id) ?? { key, rows: [] };
    group.rows.push(summary);
    groups.set(id, group);
  }
  const sum = (rows: SessionSummary[], pick: (summary: SessionSummary) => number) => rows.reduce((total, row) => total + pick(row), 0);
  return [...groups.values()]
    .sort((left, right) => left.key.join('\u0000').localeCompare(right.key.join('\u0000')))
    .map(({ key, rows }) => [
      ...key,
      rows.length,
      sum(rows, (row) => row.userTurns + row.assistantTurns),
      sum(rows, (row) => row.toolCalls),
      sum(rows, (row) => row.toolErrors),
      sum(rows, (row) => row.usage.input),
      sum(rows, (row) => row.usage.output),
      sum(rows, (row) => row.usage.cacheRead),
      sum(rows, (row) => row.usage.cacheWrite),
    ]);
}
