import { programOf, type Argv } from './shell-commands.js';

/** What a `bd` or `gt` command does to beads, read from its words (gastown-beads.md T8). */
export interface BeadCommand {
  tool: 'bd' | 'gt';
  verb: string;
  /** Bead ids among its positional words. */
  ids: string[];
  /** `start`: claims or takes the bead (claim, in_progress, hook, sling to self, reopen); `finish`: closes it or submits it; `create`; `note`: other updates; `read`: show, list, ready … */
  effect: 'start' | 'finish' | 'create' | 'note' | 'read' | 'dispatch';
  /** `gt sling` target, when one is given. */
  target?: string;
  /** The words as run, for evidence. */
  text: string;
}

const bdValueFlags = new Set(['--actor', '--db', '--dir', '--format', '--status', '-s', '--reason', '-r', '--notes', '--append-notes', '--design', '--description', '-d', '--title', '--assignee', '-a', '--priority', '-p', '--type', '-t', '--labels', '-l', '--deps', '--parent', '--id', '--session', '--acceptance', '--estimate', '--external-ref', '--defer', '--due', '--add-label', '--remove-label', '--set-labels', '--limit', '-n', '--sort']);
const workingStatuses = new Set(['in_progress', 'hooked']);
const readVerbs = new Set(['show', 'list', 'ready', 'blocked', 'search', 'stats', 'count', 'graph', 'prime', 'export', 'info', 'comments', 'children', 'dep']);

/** A bead id's shape (T4: `<prefix>-<hash>[.<n>]`, or `<prefix>-<n>` in counter mode); the caller checks it against known beads. */
export const beadIdShape = /^[a-z][a-z0-9]{0,7}-(?:(?:[a-z0-9]+-)*[a-z0-9]{3,10}|\d{1,9})(?:\.\d+){0,3}$/u;

/** The bead meaning of one simple command, or undefined when it is not bd or gt. */
export function readBeadCommand(argv: Argv, identity: string | undefined): BeadCommand | undefined {
  const program = programOf(argv);
  if (program !== 'bd' && program !== 'gt') return undefined;
  const { positionals, flags } = splitWords(argv.slice(1));
  const [verb = '', ...rest] = positionals;
  const ids = rest.filter((word) => beadIdShape.test(word));
  const text = argv.join(' ');
  if (program === 'bd') return { tool: 'bd', verb, ids, effect: bdEffect(verb, flags, identity), text };
  switch (verb) {
    case 'sling': {
      const target = rest.find((word) => !beadIdShape.test(word));
      const toSelf = target == null || target === identity || target === 'self';
      return { tool: 'gt', verb, ids, effect: toSelf ? 'start' : 'dispatch', ...(target == null ? {} : { target }), text };
    }
    case 'hook':
      return { tool: 'gt', verb, ids, effect: ids.length > 0 ? 'start' : 'read', text };
    case 'done':
      return { tool: 'gt', verb, ids, effect: 'finish', text };
    default:
      return { tool: 'gt', verb, ids, effect: 'read', text };
  }
}

function bdEffect(verb: string, flags: Map<string, string | true>, identity: string | undefined): BeadCommand['effect'] {
  switch (verb) {
    case 'update': {
      if (flags.has('--claim')) return 'start';
      const status = flags.get('--status') ?? flags.get('-s');
      const assignee = flags.get('--assignee') ?? flags.get('-a');
      const toOther = typeof assignee === 'string' && identity != null && assignee !== identity;
      if (typeof status === 'string' && workingStatuses.has(status.replaceAll('-', '_'))) return toOther ? 'dispatch' : 'start';
      if (status === 'closed') return 'finish';
      return 'note';
    }
    case 'close':
      return 'finish';
    case 'reopen':
      return 'start';
    case 'create':
    case 'new':
    case 'q':
      return 'create';
    default:
      return readVerbs.has(verb) ? 'read' : 'note';
  }
}

/** Positional words and flags (`--x=v`, `--x v` for flags known to take a value, `--x`). */
function splitWords(words: string[]): { positionals: string[]; flags: Map<string, string | true> } {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    if (!word.startsWith('-') || word === '-') {
      positionals.push(word);
      continue;
    }
    const equals = word.indexOf('=');
    if (equals > 0) flags.set(word.slice(0, equals), word.slice(equals + 1));
    else if (bdValueFlags.has(word) && index + 1 < words.length) {
      flags.set(word, words[index + 1]!);
      index += 1;
    } else flags.set(word, true);
  }
  return { positionals, flags };
}
