import { type ToolResultMetadata, type ToolUse } from './tool-uses.js';

/** Lines one edit/write/patch call added to a file. */
export interface AgentEdit {
  /** Index of the call's message. */
  index: number;
  /** The path as the call named it (absolute for Claude Code, often relative for pi). */
  path: string;
  addedLines: string[];
}

/**
 * The lines an edit, write or patch tool call added, in each program's vocabulary: Claude Code
 * `Edit`/`MultiEdit`/`Write`/`NotebookEdit` (its `structuredPatch` result when kept), pi and omp
 * `edit` (`oldText`/`newText` or `edits[]`) and `write`, Codex `apply_patch`. Failed calls added
 * nothing. Undefined for calls that are not edits.
 */
export function readAgentEdit(use: ToolUse): AgentEdit | undefined {
  if (use.result?.isError === true) return undefined;
  const args = use.args ?? {};
  const name = use.name;
  const path = text(args.file_path) ?? text(args.path) ?? text(args.notebook_path) ?? text(args.filePath);
  const lower = name.toLowerCase();
  if (lower === 'apply_patch' || (lower === 'patch' && typeof args.input === 'string')) {
    const patch = text(args.input) ?? text(args.patch) ?? '';
    return { index: use.index, path: path ?? '', addedLines: addedByPatch(patch) };
  }
  if (path == null) return undefined;
  const patched = structuredPatchAdded(use.result?.metadata);
  switch (lower) {
    case 'edit':
    case 'multiedit':
    case 'str_replace_editor':
    case 'str_replace_based_edit_tool': {
      if (patched != null) return { index: use.index, path, addedLines: patched };
      const pairs = replacementPairs(args);
      return { index: use.index, path, addedLines: pairs.flatMap(([before, after]) => subtractLines(lines(after), lines(before))) };
    }
    case 'write':
    case 'create': {
      if (patched != null && patched.length > 0) return { index: use.index, path, addedLines: patched };
      const content = text(args.content) ?? text(args.file_text) ?? '';
      const original = originalFile(use.result?.metadata);
      return { index: use.index, path, addedLines: subtractLines(lines(content), lines(original ?? '')) };
    }
    case 'notebookedit':
      return { index: use.index, path, addedLines: lines(text(args.new_source) ?? '') };
    default:
      return undefined;
  }
}

/** `(old, new)` text pairs of an edit call in any of its shapes. */
function replacementPairs(args: Record<string, unknown>): [string, string][] {
  const pairs: [string, string][] = [];
  const single = (before: unknown, after: unknown): void => {
    if (typeof after === 'string') pairs.push([typeof before === 'string' ? before : '', after]);
  };
  single(args.old_string, args.new_string);
  single(args.oldText, args.newText);
  single(args.old_str, args.new_str);
  let edits = args.edits;
  // Some models send pi's edits[] as a JSON string.
  if (typeof edits === 'string') {
    try {
      edits = JSON.parse(edits);
    } catch {
      edits = undefined;
    }
  }
  if (Array.isArray(edits)) {
    for (const edit of edits) {
      if (typeof edit !== 'object' || edit == null) continue;
      const record = edit as Record<string, unknown>;
      single(record.old_string ?? record.oldText, record.new_string ?? record.newText);
    }
  }
  return pairs;
}

/** Claude Code keeps the edit as hunks in `toolUseResult.structuredPatch[].lines` (`+`/`-`/` `). */
function structuredPatchAdded(metadata: ToolResultMetadata | undefined): string[] | undefined {
  const result = metadata?.toolUseResult;
  if (typeof result !== 'object' || result == null) return undefined;
  const hunks = (result as { structuredPatch?: unknown }).structuredPatch;
  if (!Array.isArray(hunks)) return undefined;
  const added: string[] = [];
  for (const hunk of hunks) {
    const hunkLines = (hunk as { lines?: unknown } | null)?.lines;
    if (!Array.isArray(hunkLines)) return undefined;
    for (const line of hunkLines) if (typeof line === 'string' && line.startsWith('+')) added.push(line.slice(1));
  }
  return added;
}

function originalFile(metadata: ToolResultMetadata | undefined): string | undefined {
  const result = metadata?.toolUseResult;
  if (typeof result !== 'object' || result == null) return undefined;
  const original = (result as { originalFile?: unknown }).originalFile;
  return typeof original === 'string' ? original : undefined;
}

/** `+` lines of a unified diff or a Codex `*** Begin Patch` (added files are all `+` lines). */
function addedByPatch(patch: string): string[] {
  return patch
    .split('\n')
    .filter((line) => line.startsWith('+') && !line.startsWith('+++'))
    .map((line) => line.slice(1));
}

function lines(value: string): string[] {
  if (value === '') return [];
  const split = value.split('\n');
  if (split[split.length - 1] === '') split.pop();
  return split;
}

/** The lines of `after` not matched one for one by a line of `before` (a multiset difference). */
function subtractLines(after: string[], before: string[]): string[] {
  const remaining = new Map<string, number>();
  for (const line of before) remaining.set(line, (remaining.get(line) ?? 0) + 1);
  return after.filter((line) => {
    const count = remaining.get(line) ?? 0;
    if (count === 0) return true;
    remaining.set(line, count - 1);
    return false;
  });
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The harness metadata of a tool result as a scoring view keeps it: only what edits are read from.
 * Claude Code's `toolUseResult` also holds whole files (`originalFile`, a Read's content); of it
 * this keeps the lines the structured patch adds (as one hunk), and the original file only where
 * a write falls back to it (no patch, or one that adds nothing). Undefined when nothing is read.
 */
export function editMetadataView(metadata: ToolResultMetadata | undefined): ToolResultMetadata | undefined {
  const added = structuredPatchAdded(metadata);
  const original = added == null || added.length === 0 ? originalFile(metadata) : undefined;
  if (added == null && original == null) return undefined;
  const toolUseResult: { structuredPatch?: { lines: string[] }[]; originalFile?: string } = {};
  if (added != null) toolUseResult.structuredPatch = [{ lines: added.map((line) => `+${line}`) }];
  if (original != null) toolUseResult.originalFile = original;
  return { toolUseResult };
}
