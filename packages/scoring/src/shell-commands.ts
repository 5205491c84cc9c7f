import { parse } from 'shell-quote';

/** One simple command of a shell line: its words, environment assignments and wrappers removed. */
export type Argv = string[];

const separators = new Set(['&&', '||', ';', '|', '&', '(', ')', ';;', '|&']);
const wrappers = new Set(['sudo', 'command', 'exec', 'env', 'time', 'nice', 'nohup', 'timeout']);

/**
 * The simple commands of a shell command line as a model wrote it for a Bash tool (`cd x && bd
 * update gt-1 --claim; git commit -m "…"`), each as its words. Lines are split at unquoted
 * newlines first (shell-quote reads a newline as a space); variables are kept as written.
 */
export function splitShellCommands(line: string): Argv[] {
  const commands: Argv[] = [];
  for (const piece of splitUnquotedNewlines(line)) {
    let current: Argv = [];
    let entries: ReturnType<typeof parse>;
    try {
      entries = parse(piece, (name) => `$${name}`);
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (typeof entry === 'string') current.push(entry);
      else if ('op' in entry && separators.has(entry.op)) {
        if (current.length > 0) commands.push(current);
        current = [];
      } else if ('op' in entry && entry.op === 'glob' && 'pattern' in entry) current.push(entry.pattern);
    }
    if (current.length > 0) commands.push(current);
  }
  return commands.map(stripPrefix).filter((argv) => argv.length > 0);
}

/** Drops `FOO=bar` assignments and wrappers such as `sudo`/`env` (with their own flags). */
function stripPrefix(argv: Argv): Argv {
  let start = 0;
  while (start < argv.length) {
    const word = argv[start]!;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/u.test(word)) start += 1;
    else if (wrappers.has(word)) {
      start += 1;
      while (start < argv.length && argv[start]!.startsWith('-')) start += 1;
    } else break;
  }
  return argv.slice(start);
}

function splitUnquotedNewlines(line: string): string[] {
  const pieces: string[] = [];
  let quote: '"' | "'" | undefined;
  let start = 0;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (char === '\\' && quote !== "'") index += 1;
    else if (quote != null) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '\n') {
      pieces.push(line.slice(start, index));
      start = index + 1;
    }
  }
  pieces.push(line.slice(start));
  return pieces.filter((piece) => piece.trim() !== '');
}

/** The program name of a command (`/usr/local/bin/bd` → `bd`). */
export function programOf(argv: Argv): string {
  const first = argv[0] ?? '';
  return first.slice(first.lastIndexOf('/') + 1);
}
