import { detectGasTown, WarningLog } from '@forge/reader-kit';
import { SESSION_SCHEMA_VERSION, emptyUsage, type Message, type Session } from '@forge/schema';
import { type EntryNode, type ParsedPiFile } from './parse-session-file.js';
import { activeLeaf, leaves, pathTo } from './session-tree.js';

/** Which trajectories of a file to return. */
export type BranchSelection = 'active' | 'all';

/** How an omp subagent session links to the session that started it. */
export interface SubagentLink {
  parentSessionId: string;
  /** The subagent file's name without `.jsonl` (omp's task id). */
  agentId: string;
}

/** Options of {@link buildSessions}. */
export interface BuildSessionsOptions {
  branches: BranchSelection;
  subagent?: SubagentLink;
}

/**
 * The LLM context of one path (pi-family.md §2.6, plus omp's `/clear` boundary): the last
 * compaction's summary, then the kept tail from `firstKeptEntryId`, then everything after it.
 */
function contextMessages(path: EntryNode[]): Message[] {
  let compactionIndex = -1;
  let resetIndex = -1;
  for (let index = 0; index < path.length; index += 1) {
    const entry = path[index];
    if (entry?.compaction != null) compactionIndex = index;
    if (entry?.type === 'reset_boundary') resetIndex = index;
  }
  const emitted: Message[] = [];
  const emit = (from: number, to: number): void => {
    for (let index = from; index < to; index += 1) {
      const mapped = path[index]?.mapped;
      if (mapped != null) emitted.push(mapped.message);
    }
  };
  if (resetIndex > compactionIndex) {
    emit(resetIndex + 1, path.length);
    return emitted;
  }
  const compaction = path[compactionIndex];
  if (compaction?.compaction == null) {
    emit(0, path.length);
    return emitted;
  }
  emitted.push(compaction.compaction.message);
  const firstKeptId = compaction.compaction.firstKeptEntryId;
  const firstKept = firstKeptId == null ? -1 : path.findIndex((entry) => entry.id === firstKeptId);
  // pir: a firstKeptEntryId that is not on the path keeps nothing from before the compaction.
  if (firstKept !== -1 && firstKept < compactionIndex) emit(firstKept, compactionIndex);
  emit(compactionIndex + 1, path.length);
  return emitted;
}

function buildOne(file: ParsedPiFile, leaf: EntryNode | undefined, isActive: boolean, options: BuildSessionsOptions): Session {
  const copyMessages = options.branches === 'all';
  const pathWarnings = new WarningLog(file.path);
  const path = leaf == null ? [] : pathTo(file, leaf, pathWarnings);
  const models: string[] = [];
  const thinkingLevels: string[] = file.header.thinkingLevel == null ? [] : [file.header.thinkingLevel];
  const usage = emptyUsage();

  for (const entry of path) {
    const level = entry.thinkingLevel;
    if (level != null && !thinkingLevels.includes(level)) thinkingLevels.push(level);
  }
  // With several trajectories, an entry's message is shared by every branch holding it: copy.
  const messages = copyMessages ? contextMessages(path).map((message) => ({ ...message })) : contextMessages(path);
  for (const message of messages) {
    if (message.role === 'assistant' && message.model != null && !models.includes(message.model)) models.push(message.model);
    if (message.usage != null) {
      usage.input += message.usage.input;
      usage.output += message.usage.output;
      usage.cacheRead += message.usage.cacheRead;
      usage.cacheWrite += message.usage.cacheWrite;
    }
  }

  const firstUser = messages.find((message) => message.role === 'user' && (message.provenance === 'conversation' || message.provenance === 'gastown-beacon'));
  const gastown = detectGasTown(firstUser == null ? { cwd: file.header.cwd } : { cwd: file.header.cwd, firstUserText: firstUser.text });
  const startedAt = file.header.timestamp ?? path[0]?.timestamp ?? new Date(0).toISOString();
  const endedAt = path.findLast((entry) => entry.timestamp != null)?.timestamp ?? startedAt;
  const leafId = leaf?.id ?? null;

  const session: Session = {
    schemaVersion: SESSION_SCHEMA_VERSION,
    id: isActive ? file.header.id : `${file.header.id}@${leafId ?? 'root'}`,
    source: file.flavor,
    files: [file.path],
    cwd: file.header.cwd,
    startedAt,
    endedAt,
    models,
    branch: { leafId, isActive },
    isSubagent: options.subagent != null,
    usage,
    messages,
    warnings: [...file.warnings.list(), ...pathWarnings.list()],
  };
  if (file.name != null) session.title = file.name;
  if (thinkingLevels.length > 0) session.thinkingLevels = thinkingLevels;
  if (options.subagent != null) {
    session.parent = { sessionId: options.subagent.parentSessionId };
    session.agent = { id: options.subagent.agentId };
  }
  if (gastown != null) session.gastown = gastown;
  return session;
}

/**
 * Turns a parsed file into trajectories: the active branch only, or one per leaf (each sharing
 * the common prefix) with the active one marked. A file whose header says "no active path"
 * (`leafId: ""`) yields one empty trajectory in active mode.
 */
export function buildSessions(file: ParsedPiFile, options: BuildSessionsOptions): Session[] {
  const active = activeLeaf(file);
  if (options.branches === 'active') return [buildOne(file, active, true, options)];
  const tips = leaves(file);
  if (active != null && !tips.includes(active)) tips.push(active);
  if (tips.length === 0) return [buildOne(file, undefined, true, options)];
  return tips.map((tip) => buildOne(file, tip, tip === active, options));
}
