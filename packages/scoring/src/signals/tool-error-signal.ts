import { type ScoringView } from '../scoring-view.js';
import { type ToolUse } from '../tool-uses.js';
import { percent, unitScore, type HeuristicReading } from './heuristic-reading.js';

/** A run of identical failing calls this long is a loop. */
const loopLength = 3;

/**
 * Tool errors and what followed them. An error followed by a success of the same tool on the same
 * target (file or program) is recovered and costs little; an unrecovered error costs more; a loop
 * (the same failing call repeated) costs most. Sessions without tool calls: not applicable.
 * A call whose result the transcript lacks counts with the error flag forge's training-capture
 * extension recorded for it (`forge.capture.turn`), when there is one.
 */
export function readToolErrors(uses: readonly ToolUse[], captured?: ScoringView['forgeEntries']): HeuristicReading {
  const capturedErrors = new Map<string, boolean>();
  for (const turn of captured?.turns ?? []) for (const tool of turn.tools) if (tool.isError != null) capturedErrors.set(tool.toolCallId, tool.isError);
  const withCaptured = capturedErrors.size === 0 ? uses : uses.map((use) => (use.result != null || !capturedErrors.has(use.callId) ? use : { ...use, result: { index: use.index, isError: capturedErrors.get(use.callId)!, text: '' } }));
  const finished = withCaptured.filter((use) => use.result != null);
  if (finished.length === 0) return { value: null, score: null, reason: 'no tool calls' };
  const failures = finished.filter((use) => use.result!.isError);
  // Each call's target once: every failure compares it with every later call.
  const targets = new Map(failures.length === 0 ? [] : finished.map((use) => [use, targetOf(use)]));
  let recovered = 0;
  for (const failure of failures) {
    const target = targets.get(failure);
    if (finished.some((use) => use.order > failure.order && !use.result!.isError && use.name === failure.name && targets.get(use) === target)) recovered += 1;
  }
  let loops = 0;
  let run = 1;
  for (let position = 1; position <= finished.length; position += 1) {
    const previous = finished[position - 1]!;
    const current = finished[position];
    const same = current != null && current.result!.isError && previous.result!.isError && current.name === previous.name && current.argumentsText === previous.argumentsText;
    if (same) run += 1;
    else {
      if (run >= loopLength) loops += 1;
      run = 1;
    }
  }
  const unrecovered = failures.length - recovered;
  const score = unitScore(1 - (2 * unrecovered) / finished.length - (0.5 * recovered) / finished.length - 0.25 * loops);
  const parts = [`${failures.length} of ${finished.length} tool calls failed (${percent(failures.length, finished.length)})`];
  if (failures.length > 0) parts.push(`${recovered} recovered by a later success on the same target`);
  if (loops > 0) parts.push(`${loops} loop${loops === 1 ? '' : 's'} of ≥${loopLength} identical failing calls`);
  return { value: Math.round((failures.length / finished.length) * 10_000) / 10_000, score, reason: parts.join('; ') };
}

/** The goal of a call: the file it touches, or the program it runs. */
function targetOf(use: ToolUse): string {
  const args = use.args ?? {};
  for (const key of ['file_path', 'path', 'notebook_path', 'pattern', 'url']) if (typeof args[key] === 'string') return args[key];
  if (typeof args.command === 'string') return args.command.trim().split(/\s+/u).slice(0, 2).join(' ');
  return use.argumentsText;
}
