import { toolResultIdsOf, toolUseIdsOf, type ConversationLine } from './claude-line.js';
import { type ClaudeFileContents } from './read-claude-file.js';

/** The lines of one trajectory, in file order, and how it was found. */
export interface ThreadSelection {
  lines: ConversationLine[];
  leaf: ConversationLine;
  /** The uuid the walk stopped at because an earlier session owns it (a resume junction). */
  continuesFrom?: string;
}

export interface SelectThreadOptions {
  /** uuids owned by an earlier session of the project (resume copies); the walk stops at them. */
  ownedElsewhere?: ReadonlySet<string>;
  /** Lines that may be re-attached: same side (main or sidechain) as the leaf. */
  isMember: (line: ConversationLine) => boolean;
}

/** The last user/assistant line that may end a trajectory (§7.2 step 2). */
export function findLeaf(lines: readonly ConversationLine[], accept: (line: ConversationLine) => boolean): ConversationLine | undefined {
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index];
    if (line == null) continue;
    if ((line.type === 'user' || line.type === 'assistant') && line.isApiErrorMessage !== true && accept(line)) return line;
  }
  return undefined;
}

/**
 * claude-code.md §7.2: walk parentUuid from the leaf to a root (through compaction boundaries by
 * logicalParentUuid, for the full history), then re-attach the other lines of every response on
 * the spine and the tool results that answer its tool calls (they hang off side branches).
 */
export function selectThread(contents: ClaudeFileContents, leaf: ConversationLine, options: SelectThreadOptions): ThreadSelection & { problems: ThreadProblem[] } {
  const { byUuid } = contents;
  const ownedElsewhere = options.ownedElsewhere;
  const problems: ThreadProblem[] = [];
  const selected = new Set<ConversationLine>();
  let continuesFrom: string | undefined;

  let current: ConversationLine | undefined = leaf;
  while (current != null) {
    selected.add(current);
    const parentUuid: string | null | undefined =
      current.parentUuid ?? (current.type === 'system' && current.subtype === 'compact_boundary' ? current.logicalParentUuid : null);
    if (parentUuid == null) break;
    if (ownedElsewhere?.has(parentUuid) === true) {
      continuesFrom = parentUuid;
      break;
    }
    const parent = byUuid.get(parentUuid);
    if (parent == null) {
      problems.push({ kind: 'missing-parent', line: current.lineNumber, uuid: parentUuid });
      break;
    }
    if (selected.has(parent)) {
      problems.push({ kind: 'cycle', line: parent.lineNumber, uuid: parentUuid });
      break;
    }
    current = parent;
  }

  reattachResponses(contents, selected, options);
  const lines = [...selected].sort((left, right) => left.order - right.order);
  const selection: ThreadSelection & { problems: ThreadProblem[] } = { lines, leaf, problems };
  if (continuesFrom != null) selection.continuesFrom = continuesFrom;
  return selection;
}

/** A structural problem met while walking. */
export interface ThreadProblem {
  kind: 'missing-parent' | 'cycle';
  line: number;
  uuid: string;
}

function reattachResponses(contents: ClaudeFileContents, selected: Set<ConversationLine>, options: SelectThreadOptions): void {
  const messageIds = new Set<string>();
  for (const line of selected) if (line.type === 'assistant' && line.messageId != null) messageIds.add(line.messageId);
  if (messageIds.size === 0) return;
  const ownedElsewhere = options.ownedElsewhere;
  const usable = (line: ConversationLine): boolean => options.isMember(line) && ownedElsewhere?.has(line.uuid) !== true;

  const toolUseIds = new Set<unknown>();
  for (const line of contents.lines) {
    if (line.type !== 'assistant' || line.messageId == null || !messageIds.has(line.messageId)) continue;
    if (!selected.has(line)) {
      if (!usable(line)) continue;
      selected.add(line);
    }
    for (const id of toolUseIdsOf(line)) toolUseIds.add(id);
  }
  if (toolUseIds.size === 0) return;
  for (const line of contents.lines) {
    if (line.type !== 'user' || selected.has(line) || !usable(line)) continue;
    if (toolResultIdsOf(line).some((id) => toolUseIds.has(id))) selected.add(line);
  }
}
