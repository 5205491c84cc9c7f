import { resolve } from 'node:path';
import { summarizeSession, type Session } from '@forge/schema';
import { type InspectOptions } from './command-options.js';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { readSessionFile } from '../sources/source-registry.js';
import { formatWarning } from '../render/format-warning.js';
import { writeJsonLines } from '../render/write-json-lines.js';

/** `forge inspect FILE`: what forge sees in one file, warnings included. */
export async function inspectCommand(file: string, options: InspectOptions, io: CliIo): Promise<ExitCode> {
  const path = resolve(io.cwd, file);
  const { sessions, fileWarnings } = await readSessionFile(path);
  if (options.json) {
    await writeJsonLines(io.stdout, [{ file: path, sessions, fileWarnings }]);
  } else {
    io.stdout.write(`${path}\n`);
    if (sessions.length === 0) io.stdout.write('  no session in this file\n');
    for (const session of sessions) io.stdout.write(describeSession(session));
    for (const warning of fileWarnings) io.stdout.write(`  ${formatWarning(warning)}\n`);
  }
  const warnings = fileWarnings.length + sessions.reduce((total, session) => total + session.warnings.length, 0);
  return warnings > 0 ? exitCodes.doneWithWarnings : exitCodes.ok;
}

function describeSession(session: Session): string {
  const summary = summarizeSession(session);
  const gastown = session.gastown;
  const lines = [
    `session ${session.id} (${session.source}${session.sourceVersion == null ? '' : ` ${session.sourceVersion}`})${session.isSubagent ? ' subagent' : ''}`,
    session.title == null ? undefined : `title      ${session.title}`,
    `cwd        ${session.cwd}`,
    gastown == null
      ? undefined
      : `gas town   ${gastown.role}${gastown.rig == null ? '' : ` rig=${gastown.rig}`}${gastown.name == null ? '' : ` name=${gastown.name}`}${gastown.beadIds.length === 0 ? '' : ` beads=${gastown.beadIds.join(',')}`}`,
    session.parent == null ? undefined : `parent     ${session.parent.sessionId}${session.parent.toolCallId == null ? '' : ` (tool call ${session.parent.toolCallId})`}`,
    `time       ${session.startedAt} → ${session.endedAt}`,
    `models     ${session.models.join(', ') || '(none)'}`,
    `branch     leaf ${session.branch.leafId ?? '(none)'}${session.branch.isActive ? ' (active)' : ''}`,
    `messages   ${session.messages.length}: ${summary.userTurns} user prompts, ${summary.assistantTurns} assistant, ${summary.toolCalls} tool calls, ${summary.toolErrors} tool errors, reasoning ${summary.reasoning.present} present / ${summary.reasoning.hollow} hollow`,
    `usage      input ${session.usage.input}, output ${session.usage.output}, cache read ${session.usage.cacheRead}, cache write ${session.usage.cacheWrite}${session.usageProvisional === true ? ' (provisional)' : ''}`,
    ...session.warnings.map((warning) => `warning    ${formatWarning(warning)}`),
  ];
  return `${lines.filter((line) => line != null).map((line) => `  ${line}`).join('\n')}\n`;
}
