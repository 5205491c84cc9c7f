import { type ScoringView } from './scoring-view.js';
import { isValidationCall } from './tool-kinds.js';
import { collectToolUses, shellCommandOf } from './tool-uses.js';

/** The test, build, type-check and lint commands a session ran (the validation rule of its score), in order, each once. */
export function validationCommands(session: ScoringView): string[] {
  const commands = collectToolUses(session)
    .filter((use) => isValidationCall(use))
    .map((use) => shellCommandOf(use)!);
  return [...new Set(commands)];
}
