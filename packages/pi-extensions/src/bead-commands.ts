import { findBeadIds } from '@forge/reader-kit';
import type { BeadOperation } from '@forge/schema';
import { parse, type ParseEntry } from 'shell-quote';

/** A bead-changing `bd`/`gt` invocation found in a shell command, before its result is known. */
export type BeadCall = Omit<BeadOperation, 'toolCallId' | 'isError' | 'confirmed'>;

// bd's flags that take a value (cmd/bd/*.go in steveyegge/beads): their value is never a bead
// named by the command. Other tokens that look like bead ids are the command's beads.
const globalValueFlags = new Set(['--db', '--actor', '--lock-timeout', '--dolt-auto-commit']);
const reasonFlags = new Set(['--reason', '-r', '--resolution', '--message', '-m']);
const statusFlags = new Set(['--status', '-s']);
const commandValueFlags: Record<BeadCall['command'], Set<string>> = {
  close: new Set([...reasonFlags, '--session']),
  reopen: new Set(['--reason', '-r']),
  update: new Set([
    ...statusFlags,
    '--priority', '-p', '--title', '--assignee', '-a', '--description', '-d', '--design', '--notes', '--append-notes',
    '--acceptance', '--external-ref', '--add-label', '--remove-label', '--set-labels', '--parent', '--type', '-t',
    '--estimate', '-e', '--due', '--defer', '--body-file', '--session',
  ]),
  create: new Set([
    '--priority', '-p', '--type', '-t', '--description', '-d', '--title', '--assignee', '-a', '--labels', '-l', '--parent',
    '--deps', '--id', '--design', '--acceptance', '--external-ref', '--estimate', '-e', '--notes', '--body-file', '--due',
    '--defer', '--prefix', '--rig', '--file', '-f',
  ]),
};
const bdCommands: Record<string, BeadCall['command']> = { close: 'close', update: 'update', reopen: 'reopen', create: 'create', q: 'create' };
// `gt close` passes its arguments to `bd close` (gastown internal/cmd/close.go).
const gtCommands: Record<string, BeadCall['command']> = { close: 'close' };

/**
 * The bead-changing `bd` and `gt close` calls in a bash command: `bd close`, `bd update`
 * (`--status`, `--claim`), `bd reopen`, `bd create`/`bd q`, in the order written, through `&&`,
 * `;`, pipes, subshells and newlines. The command is only parsed (shell-quote), never run.
 */
export function findBeadCalls(command: string): BeadCall[] {
  const calls: BeadCall[] = [];
  for (const words of simpleCommands(parse(unquotedNewlinesToSemicolons(command), (name) => `$${name}`))) {
    const call = beadCallOf(words);
    if (call != null) calls.push(call);
  }
  return calls;
}

/**
 * Settles a call with its tool result: `confirmed` when the result's text shows bd's success line
 * (or JSON) for every bead. When the command named no bead (`bd create`, or `bd close` of the last
 * touched issue), the beads are the ids the result reports.
 */
export function settleBeadCall(call: BeadCall, toolCallId: string, resultText: string, isError: boolean | null): BeadOperation {
  const beadIds = call.beadIds.length > 0 ? call.beadIds : reportedIdsIn(call.command, resultText);
  const confirmed = isError === false && beadIds.length > 0 && beadIds.every((id) => successPattern(call.command, id).test(resultText));
  return { ...call, toolCallId, beadIds, isError, confirmed };
}

/** Splits shell-quote's token stream at its operators into the words of each simple command. */
function simpleCommands(entries: ParseEntry[]): string[][] {
  const commands: string[][] = [[]];
  for (const entry of entries) {
    if (typeof entry === 'string') commands.at(-1)!.push(entry);
    else if ('op' in entry && entry.op !== 'glob') commands.push([]);
    else if ('pattern' in entry) commands.at(-1)!.push(entry.pattern);
  }
  return commands.filter((words) => words.length > 0);
}

function beadCallOf(words: string[]): BeadCall | undefined {
  let index = 0;
  while (index < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/u.test(words[index]!)) index += 1; // VAR=value prefixes
  const program = basename(words[index] ?? '');
  if (program !== 'bd' && program !== 'gt') return undefined;
  index += 1;
  // Global flags stand before the subcommand.
  while (index < words.length && words[index]!.startsWith('-')) {
    index += globalValueFlags.has(words[index]!) ? 2 : 1;
  }
  const command = (program === 'bd' ? bdCommands : gtCommands)[words[index] ?? ''];
  if (command == null) return undefined;
  const call: BeadCall = { program, command, beadIds: [], ...(command === 'close' ? { status: 'closed' } : {}) };
  if (command === 'reopen' || command === 'create') call.status = 'open';
  const valueFlags = commandValueFlags[command];
  for (index += 1; index < words.length; index += 1) {
    const word = words[index]!;
    if (word.startsWith('-')) {
      const equals = word.indexOf('=');
      const flag = equals === -1 ? word : word.slice(0, equals);
      const takesValue = valueFlags.has(flag) || globalValueFlags.has(flag);
      let value: string | undefined;
      if (equals !== -1) value = word.slice(equals + 1);
      else if (takesValue) value = words[(index += 1)];
      if (command === 'update' && flag === '--claim') call.status = 'in_progress';
      if (value != null && command === 'update' && statusFlags.has(flag)) call.status = value;
      if (value != null && command === 'close' && reasonFlags.has(flag)) call.reason = value;
      continue;
    }
    if (command !== 'create' && isBeadId(word)) call.beadIds.push(word);
  }
  return call;
}

/** True when the whole word has a work bead id's shape (`gt-k3m9p`, `bd-a3f2.1`). */
function isBeadId(word: string): boolean {
  const dash = word.indexOf('-');
  return dash > 0 && findBeadIds(word, [word.slice(0, dash)])[0] === word;
}

/** The words before the bead id in bd's success line of each command (steveyegge/beads cmd/bd). */
const successWords: Record<BeadCall['command'], string> = { close: 'Closed', update: 'Updated issue:', reopen: 'Reopened', create: 'Created issue:' };

/** The bead ids bd's success lines (or `--json` output) of a command report. */
function reportedIdsIn(command: BeadCall['command'], text: string): string[] {
  const line = new RegExp(`${successWords[command]}\\s*([a-z][a-z0-9]*-[a-z0-9.-]+?)(?=[\\s:—,]|$)`, 'gmu');
  const ids = [...text.matchAll(line), ...text.matchAll(/"id"\s*:\s*"([^"]+)"/gu)].map((match) => match[1]!).filter(isBeadId);
  return [...new Set(ids)];
}

/** bd's success line for a command and bead, or the bead in bd's `--json` output. */
function successPattern(command: BeadCall['command'], id: string): RegExp {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  return new RegExp(`(?:${successWords[command]}\\s+${escaped}(?![\\w.-])|"id"\\s*:\\s*"${escaped}")`, 'u');
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * shell-quote reads a newline as a space, so `bd update a\nbd close a` would be one command:
 * unquoted newlines become `;` (a backslash-newline is a line continuation and goes).
 */
function unquotedNewlinesToSemicolons(text: string): string {
  let out = '';
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (char === '\\' && quote !== "'") {
      const next = text[index + 1];
      if (next === '\n' && quote == null) {
        index += 1;
        continue;
      }
      out += char + (next ?? '');
      index += 1;
    } else if (quote != null) {
      if (char === quote) quote = undefined;
      out += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      out += char;
    } else {
      out += char === '\n' ? ';' : char;
    }
  }
  return out;
}
