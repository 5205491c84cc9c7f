import { assistantCode, noParent, unresolvedParent, userCode, type LineTable } from './line-table.js';

/** The rows of one trajectory, in file order, and how it was found. */
export interface ThreadSelection {
  /** Rows of the file's `LineTable`, ascending (file order). */
  rows: Int32Array;
  leaf: number;
  /** The leaf's uuid (the table may be released before the Session record is made). */
  leafUuid: string;
}

export interface SelectThreadOptions {
  /** Rows that may be re-attached: same side (main or sidechain) as the leaf. */
  isMember: (row: number) => boolean;
}

/** The last user/assistant row that may end a trajectory (§7.2 step 2), or undefined. */
export function findLeaf(table: LineTable, accept: (row: number) => boolean): number | undefined {
  for (let row = table.count - 1; row >= 0; row -= 1) {
    if (table.isTurn(row) && !table.isApiErrorMessage(row) && accept(row)) return row;
  }
  return undefined;
}

/**
 * claude-code.md §7.2: walk parentUuid from the leaf to a root (through compaction boundaries by
 * logicalParentUuid, for the full history), then re-attach the other lines of every response on
 * the spine and the tool results that answer its tool calls (they hang off side branches).
 */
export function selectThread(table: LineTable, leaf: number, options: SelectThreadOptions): ThreadSelection & { problems: ThreadProblem[] } {
  const problems: ThreadProblem[] = [];
  const selected = new Uint8Array(table.count);
  let selectedCount = 0;
  const select = (row: number): void => {
    selected[row] = 1;
    selectedCount += 1;
  };

  let current = leaf;
  for (;;) {
    select(current);
    let parentRow = table.parentRow(current);
    // The parent's uuid is only spelled out when needed: building it for every step is costly.
    let parentUuid: string | undefined;
    if (parentRow === noParent) {
      const logical = table.logicalParent(current);
      if (logical == null) break;
      parentUuid = logical;
      parentRow = table.rowOf(logical) ?? unresolvedParent;
    } else if (parentRow === unresolvedParent) {
      parentUuid = table.unresolvedParentUuid(current) ?? '';
    }
    if (parentRow < 0) {
      problems.push({ kind: 'missing-parent', line: table.lineNumbers[current] ?? 0, uuid: parentUuid ?? '' });
      break;
    }
    if (selected[parentRow] === 1) {
      problems.push({ kind: 'cycle', line: table.lineNumbers[parentRow] ?? 0, uuid: parentUuid ?? table.uuid(parentRow) });
      break;
    }
    current = parentRow;
  }

  reattachResponses(table, selected, select, options);
  const rows = new Int32Array(selectedCount);
  for (let row = 0, position = 0; row < table.count; row += 1) {
    if (selected[row] === 1) {
      rows[position] = row;
      position += 1;
    }
  }
  const selection: ThreadSelection & { problems: ThreadProblem[] } = { rows, leaf, leafUuid: table.uuid(leaf), problems };
  return selection;
}

/** A structural problem met while walking. */
export interface ThreadProblem {
  kind: 'missing-parent' | 'cycle';
  line: number;
  uuid: string;
}

function reattachResponses(table: LineTable, selected: Uint8Array, select: (row: number) => void, options: SelectThreadOptions): void {
  const messageIds = new Set<number>();
  for (let row = 0; row < table.count; row += 1) {
    if (selected[row] === 1 && table.types[row] === assistantCode) {
      const messageId = table.messageIdIndex(row);
      if (messageId >= 0) messageIds.add(messageId);
    }
  }
  if (messageIds.size === 0) return;
  const usable = options.isMember;

  const toolUseIds = new Set<unknown>();
  for (let row = 0; row < table.count; row += 1) {
    if (table.types[row] !== assistantCode || !messageIds.has(table.messageIdIndex(row))) continue;
    if (selected[row] !== 1) {
      if (!usable(row)) continue;
      select(row);
    }
    for (const [id] of table.toolUses(row)) toolUseIds.add(id);
  }
  if (toolUseIds.size === 0) return;
  for (let row = 0; row < table.count; row += 1) {
    if (table.types[row] !== userCode || selected[row] === 1 || !usable(row)) continue;
    if (table.resultCallIds(row).some((id) => typeof id === 'string' && toolUseIds.has(id))) select(row);
  }
}
