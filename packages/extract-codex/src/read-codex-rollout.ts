import { CompressedFileError, emptyOrUnreadable, readJsonLineBatches, type ReadFileOptions, type SourceEvent, type SourceFile } from '@forge/reader-kit';
import { type Message, type SessionWarning } from '@forge/schema';
import { CodexRolloutState } from './rollout-state.js';

const fileWarning = (file: SourceFile, kind: SessionWarning['kind'], message: string): SourceEvent => ({ kind: 'file-warning', warning: { file: file.path, kind, message } });

/**
 * One rollout's session as a stream (codex.md §4): its messages in order, then its head. Streams
 * the file in batches of lines (memory bounded by the longest line); bad lines become warnings.
 * A file whose first record is no session header yields only a `not-a-session` file warning. A
 * zstd-compressed rollout (`.jsonl.zst`) streams the same way; a damaged one keeps the lines before
 * the damage, with an `unreadable-file` warning naming the file and the first line lost.
 */
export async function* readCodexRollout(file: SourceFile, options: ReadFileOptions = {}): AsyncGenerator<SourceEvent> {
  const problem = await emptyOrUnreadable(file);
  if (problem != null) {
    yield problem;
    return;
  }
  const state = new CodexRolloutState(file.path);
  let started = false;
  const out: Message[] = [];
  const readOptions = options.maxLineBytes == null ? {} : { maxLineBytes: options.maxLineBytes };
  try {
    for await (const batch of readJsonLineBatches(file.path, readOptions)) {
      for (const line of batch) {
        if (line.kind === 'too-long') {
          state.warnings.add('line-too-long', `line of ${line.bytes} bytes is longer than the limit (skipped)`, line.lineNumber);
        } else if (line.kind === 'invalid-json') {
          state.warnings.add(line.truncated ? 'truncated-line' : 'invalid-json', line.truncated ? 'the last line is cut off (Codex was still writing)' : `not JSON: ${line.message}`, line.lineNumber);
        } else if (started) {
          state.add(line.value, line.lineNumber, out);
        } else if (state.start(line.value)) {
          started = true;
        } else {
          yield fileWarning(file, 'not-a-session', `line ${line.lineNumber} is not a Codex session header (session_meta): not a Codex rollout`);
          return;
        }
      }
      const sessionId = state.sessionId;
      if (sessionId != null) for (const message of out) yield { kind: 'message', sessionId, message };
      out.length = 0;
    }
  } catch (error) {
    // A damaged `.jsonl.zst`: the session keeps the lines before the damage and says where they end.
    if (!CompressedFileError.isInstance(error)) throw error;
    if (!started) {
      yield fileWarning(file, 'unreadable-file', `compressed rollout: ${error.reason}`);
      return;
    }
    state.warnings.add('unreadable-file', `compressed rollout: ${error.reason}`, error.location?.line);
  }
  if (!started) {
    yield fileWarning(file, 'not-a-session', 'no session header (session_meta) in the file');
    return;
  }
  const head = state.finish(out);
  for (const message of out) yield { kind: 'message', sessionId: head.id, message };
  yield { kind: 'session', session: head };
}
