import { basename } from 'node:path';
import { WarningLog, type SessionTally } from '@forge/reader-kit';
import { SESSION_SCHEMA_VERSION, type Message, type Session, type SessionWarning } from '@forge/schema';
import { spawnsSubagent, type ConversationLine } from './claude-line.js';
import { type ClaudeFileIndex } from './index-claude-file.js';
import { userCode } from './line-table.js';
import { findLeaf, selectThread, type ThreadProblem, type ThreadSelection } from './select-thread.js';

/** What a subagent's `.meta.json` says (claude-code.md §1.3). */
export interface SubagentMeta {
  agentType?: string;
  description?: string;
  toolUseId?: string;
  parentAgentId?: string;
}

export interface BuildSessionsOptions {
  /** For `agent-<id>.jsonl` files. */
  agentId?: string;
  meta?: SubagentMeta;
  /** Title from this file's `summary` lines; off when the caller matches summaries project-wide. Default true. */
  titlesFromSummaries?: boolean;
  /** Fallback time for files with no timestamps. */
  fileTime: string;
}

const agentFilePattern = /^agent-(.+)\.jsonl$/u;

/** The agent id in a subagent file name (`agent-<id>.jsonl`), if it is one. */
export function agentIdFromPath(path: string): string | undefined {
  return agentFilePattern.exec(basename(path))?.[1];
}

/** A trajectory to turn into a Session: its lines and the Session's identity. */
export interface SessionPlan {
  selection: SelectionWithProblems;
  options: AssembleOptions;
}

/** The selection `selectThread` returns. */
export type SelectionWithProblems = ThreadSelection & { problems: ThreadProblem[] };

/**
 * The file's first Session: a subagent file's thread, or a main file's main thread (the inline
 * sidechains follow, once the main thread's Task calls are known).
 */
export function planFirstSession(contents: ClaudeFileIndex, options: BuildSessionsOptions): SessionPlan | undefined {
  const { table } = contents;
  const fileSessionId = basename(contents.path).replace(/\.jsonl$/u, '');

  if (options.agentId != null) {
    const leaf = findLeaf(table, () => true);
    if (leaf == null) return undefined;
    const selection = selectThread(table, leaf, { isMember: () => true });
    const parentSessionId = table.sessionId(leaf) ?? fileSessionId;
    const parentId = options.meta?.parentAgentId == null ? parentSessionId : subagentSessionId(parentSessionId, options.meta.parentAgentId);
    const parent: NonNullable<Session['parent']> = { sessionId: parentId };
    if (options.meta?.toolUseId != null) parent.toolCallId = options.meta.toolUseId;
    const agent: NonNullable<Session['agent']> = { id: options.agentId };
    if (options.meta?.agentType != null) agent.type = options.meta.agentType;
    if (options.meta?.description != null) agent.description = options.meta.description;
    return { selection, options: { ...options, id: subagentSessionId(parentSessionId, options.agentId), isSubagent: true, parent, agent } };
  }

  const mainLeaf = findLeaf(table, (row) => !table.isSidechain(row));
  if (mainLeaf == null) return undefined;
  const selection = selectThread(table, mainLeaf, { isMember: (row) => !table.isSidechain(row) });
  return { selection, options: { ...options, id: table.sessionId(mainLeaf) ?? fileSessionId, isSubagent: false } };
}

/**
 * The branches a rewind left behind (claude-code.md §7.1, §7.2): a user or assistant line on the
 * thread's side of the file that no trajectory has selected yet is the leaf of one. Each is walked
 * like the thread (so it keeps the shared prefix), the latest leaf first so a branch is found once,
 * and becomes a Session `<thread id>@<leaf uuid>` that is not the active one. In file order.
 */
export function planAbandonedBranches(contents: ClaudeFileIndex, thread: SessionPlan): SessionPlan[] {
  const { table } = contents;
  const isMember = thread.options.isSubagent ? (): boolean => true : (row: number): boolean => !table.isSidechain(row);
  const covered = new Uint8Array(table.count);
  for (const row of thread.selection.rows) covered[row] = 1;
  const plans: SessionPlan[] = [];
  for (let row = table.count - 1; row >= 0; row -= 1) {
    if (covered[row] === 1 || !table.isTurn(row) || table.isApiErrorMessage(row) || !isMember(row)) continue;
    const selection = selectThread(table, row, { isMember });
    for (const selected of selection.rows) covered[selected] = 1;
    plans.push({ selection, options: { ...thread.options, id: `${thread.options.id}@${selection.leafUuid}`, isActive: false } });
  }
  return plans.reverse();
}

/** The id forge gives a subagent trajectory: unique, and readable back to its parent. */
export function subagentSessionId(parentSessionId: string, agentId: string): string {
  return `${parentSessionId}/agent-${agentId}`;
}

/** The session id inline sidechains hang under when the file has no main thread. */
export function fileParentSessionId(contents: ClaudeFileIndex): string {
  const { table } = contents;
  for (let row = 0; row < table.count; row += 1) {
    const sessionId = table.sessionId(row);
    if (sessionId != null) return sessionId;
  }
  return basename(contents.path).replace(/\.jsonl$/u, '');
}

/** Each inline sidechain's root row → its leaf row (the last user/assistant line under that root). */
export function sidechainLeaves(contents: ClaudeFileIndex): Map<number, number> {
  const { table } = contents;
  const rootOf = new Int32Array(table.count).fill(-1);
  const findRoot = (row: number): number => {
    const path: number[] = [];
    let current: number | undefined = row;
    let root = row;
    while (current != null) {
      const known = rootOf[current] ?? -1;
      if (known >= 0) {
        root = known;
        break;
      }
      path.push(current);
      root = current;
      if (path.length > table.count) break;
      const parentRow = table.parentRow(current);
      current = parentRow >= 0 ? parentRow : undefined;
    }
    for (const visited of path) rootOf[visited] = root;
    return root;
  };
  const lastByRoot = new Map<number, number>();
  for (let row = 0; row < table.count; row += 1) {
    if (!table.isSidechain(row) || !table.isTurn(row) || table.isApiErrorMessage(row)) continue;
    lastByRoot.set(findRoot(row), row);
  }
  return lastByRoot;
}

/** The Task/Agent call that spawned a sidechain, matched by the prompt it delegated. */
export function planSidechain(
  contents: ClaudeFileIndex,
  root: number,
  leaf: number,
  context: { spawns: readonly TaskSpawn[]; parentSessionId: string; prompt: string | undefined },
  options: BuildSessionsOptions,
): SessionPlan {
  const { table } = contents;
  const selection = selectThread(table, leaf, { isMember: (row) => table.isSidechain(row) });
  const { parentSessionId } = context;
  const agentId = table.agentId(leaf) ?? table.uuid(root);
  const plan: SessionPlan = { selection, options: { ...options, id: subagentSessionId(parentSessionId, agentId), isSubagent: true, parent: { sessionId: parentSessionId }, agent: { id: agentId } } };
  linkSidechain(plan, context.prompt, context.spawns);
  return plan;
}

/** Links a sidechain plan to the Task/Agent call that delegated its prompt, if one did. */
export function linkSidechain(plan: SessionPlan, prompt: string | undefined, spawns: readonly TaskSpawn[]): void {
  const spawn = prompt == null ? undefined : spawns.find((candidate) => candidate.prompt === prompt);
  const { parent, agent } = plan.options;
  if (spawn == null || parent == null || agent == null) return;
  parent.toolCallId = spawn.toolCallId;
  if (spawn.type != null) agent.type = spawn.type;
  if (spawn.description != null) agent.description = spawn.description;
}

/** A Task/Agent tool call: the prompt it delegated, to link an inline sidechain by. */
export interface TaskSpawn {
  toolCallId: string;
  prompt?: string;
  type?: string;
  description?: string;
}

/** Task/Agent tool calls of a session: the prompt they delegated, to link subagents by (§7.3). */
export function taskSpawns(messages: readonly Message[]): TaskSpawn[] {
  const spawns: TaskSpawn[] = [];
  for (const message of messages) addTaskSpawns(message, spawns);
  return spawns;
}

/** Adds the Task/Agent calls of one message to `spawns`. */
export function addTaskSpawns(message: Message, spawns: TaskSpawn[]): void {
  for (const call of message.toolCalls) {
    if (!spawnsSubagent(call.name)) continue;
    const input = safeJson(call.arguments);
    const spawn: TaskSpawn = { toolCallId: call.id };
    if (typeof input.prompt === 'string') spawn.prompt = input.prompt;
    if (typeof input.subagent_type === 'string') spawn.type = input.subagent_type;
    if (typeof input.description === 'string') spawn.description = input.description;
    spawns.push(spawn);
  }
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value != null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A Session's identity and the options it is built with. */
export interface AssembleOptions extends BuildSessionsOptions {
  id: string;
  isSubagent: boolean;
  /** False for a branch a rewind abandoned. Default true. */
  isActive?: boolean;
  parent?: Session['parent'];
  agent?: Session['agent'];
}

/** A collector for one trajectory's warnings, starting with the problems met while selecting it. */
export function selectionWarnings(contents: ClaudeFileIndex, selection: SelectionWithProblems): WarningLog {
  const warnings = new WarningLog(contents.path);
  for (const problem of selection.problems) {
    if (problem.kind === 'missing-parent') warnings.add('missing-parent', `parent ${problem.uuid} is not in this file; the trajectory starts here`, problem.line);
    else warnings.add('cycle', `parentUuid chain loops at ${problem.uuid}; walk stopped`, problem.line);
  }
  return warnings;
}

/** The row of the first user line with prompt text (not meta): a `Warmup` prompt there marks cache priming. */
export function firstPromptRow(contents: ClaudeFileIndex, selection: ThreadSelection): number | undefined {
  const { table } = contents;
  return selection.rows.find((row) => table.types[row] === userCode && !table.isMeta(row) && table.hasText(row));
}

/** Session facts gathered from its lines, in file order: time span, first cwd, last branch and version. */
export class LineFacts {
  startedAt: string | undefined;
  endedAt: string | undefined;
  cwd: string | undefined;
  gitBranch: string | undefined;
  version: string | undefined;

  add(line: ConversationLine): void {
    const { timestamp } = line;
    if (timestamp != null) {
      if (this.startedAt == null || timestamp < this.startedAt) this.startedAt = timestamp;
      if (this.endedAt == null || timestamp > this.endedAt) this.endedAt = timestamp;
    }
    if (this.cwd == null && line.cwd != null) this.cwd = line.cwd;
    if (line.gitBranch != null && line.gitBranch !== '') this.gitBranch = line.gitBranch;
    if (line.version != null) this.version = line.version;
  }
}

/** The head of a streamed trajectory: the Session without its messages (totals over them). */
export function sessionRecord(
  contents: ClaudeFileIndex,
  selection: ThreadSelection,
  options: AssembleOptions,
  built: {
    /** The selection's and the lines' problems, then those found ordering the messages. */
    warnings: WarningLog;
    orderWarnings: WarningLog;
    tally: SessionTally;
    facts: LineFacts;
    provisionalResponses: number;
    /** The title found before the file's index was released (`null`: none); default: found now. */
    title?: string | null;
  },
): Omit<Session, 'messages'> {
  const { warnings, orderWarnings, tally, facts } = built;
  if (built.provisionalResponses > 0) {
    orderWarnings.add(
      'provisional-usage',
      `${built.provisionalResponses} response(s) have only the streaming snapshot (stop_reason null on every line): output tokens are a lower bound (Claude Code ≤ 2.1.4x, 2.0.x)`,
    );
  }

  const cwd = facts.cwd ?? contents.firstCwd ?? '';
  const { gitBranch, version } = facts;

  const session: Omit<Session, 'messages'> = {
    schemaVersion: SESSION_SCHEMA_VERSION,
    id: options.id,
    source: 'claude-code',
    files: [contents.path],
    cwd,
    startedAt: facts.startedAt ?? options.fileTime,
    endedAt: facts.endedAt ?? options.fileTime,
    models: tally.models,
    branch: { leafId: selection.leafUuid, isActive: options.isActive !== false },
    isSubagent: options.isSubagent,
    usage: tally.usage,
    warnings: [...contents.warnings.list(), ...warnings.list(), ...orderWarnings.list()],
  };
  if (version != null) session.sourceVersion = version;
  if (gitBranch != null) session.gitBranch = gitBranch;
  const title = built.title === undefined ? sessionTitle(contents, selection, options) : built.title;
  if (title != null) session.title = title;
  if (tally.thinkingLevels.length > 0) session.thinkingLevels = tally.thinkingLevels;
  if (options.parent != null) session.parent = options.parent;
  if (options.agent != null) session.agent = options.agent;
  if (built.provisionalResponses > 0) session.usageProvisional = true;
  const gastown = tally.gastown(cwd, gitBranch);
  if (gastown != null) session.gastown = gastown;
  return session;
}

/** A main Session's title: custom, AI, else the summary of its deepest summarised line (§4.6). */
export function sessionTitle(contents: ClaudeFileIndex, selection: ThreadSelection, options: AssembleOptions): string | undefined {
  return options.isSubagent ? undefined : titleFor(contents, selection, options.titlesFromSummaries === false ? new Map() : contents.summaries);
}

function titleFor(contents: ClaudeFileIndex, selection: ThreadSelection, summaries: ReadonlyMap<string, string>): string | undefined {
  if (contents.customTitle != null) return contents.customTitle;
  if (contents.aiTitle != null) return contents.aiTitle;
  if (summaries.size === 0) return undefined;
  // The summary of the deepest selected line that has one: look the few summaries up by row.
  let deepest = -1;
  let title: string | undefined;
  for (const [leafUuid, summary] of summaries) {
    const row = contents.table.rowOf(leafUuid);
    if (row != null && row > deepest && isSelected(selection.rows, row)) {
      deepest = row;
      title = summary;
    }
  }
  return title;
}

/** Whether `row` is in the ascending `rows`. */
function isSelected(rows: Int32Array, row: number): boolean {
  let low = 0;
  let high = rows.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = rows[middle] ?? 0;
    if (value === row) return true;
    if (value < row) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** File-level warnings for a file that yields no session (empty, or no conversation lines). */
export function orphanWarnings(contents: ClaudeFileIndex): SessionWarning[] {
  const warnings = contents.warnings.list();
  if (contents.lineCount > 0 && !warnings.some((warning) => warning.kind === 'empty-file')) {
    warnings.push({ file: contents.path, kind: 'not-a-session', message: 'file has no user or assistant lines; no session read' });
  }
  return warnings;
}
