import { type Message, type Session, type SessionSource, type SessionWarning } from '@forge/schema';

/**
 * The contract every reader package implements (one module per agent program, one registration
 * line in the CLI). A reader has ONE engine: `readFile` streams events; reading a whole Session is
 * a fold over that stream (`foldSessions`), never a second implementation.
 */

/** A JSON value: what crosses a thread or a cache boundary unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A Session without its messages: what the stream sends after a session's last message. */
export type SessionHead = Omit<Session, 'messages'>;

/** One input file, found by `discover` (or named by the user and claimed by `detect`). */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** The `Session.source` the file's sessions will carry (pi and pir share a folder; the header tells). */
  source: SessionSource;
  size: number;
  mtimeMs: number;
  /**
   * Files with the same group are linked after reading (`SessionSourceReader.link`): a Claude Code
   * project folder. Undefined: the file stands alone.
   */
  group?: string;
  /** Discovery facts the reader wants back in `readFile` (serialisable, e.g. a subagent's meta.json path). */
  hints?: { [key: string]: JsonValue };
}

/**
 * What `readFile` yields. The events of one Session are contiguous: its messages in order, then its
 * head. Sessions never interleave, so a consumer can hold one session (or none: stream the messages
 * on) at a time.
 */
export type SourceEvent =
  | { kind: 'message'; sessionId: string; message: Message }
  | { kind: 'session'; session: SessionHead }
  /** A file-level problem no Session carries (empty file, nothing but copies, not a session). */
  | { kind: 'file-warning'; warning: SessionWarning }
  /** Facts of this file that only `link` needs (e.g. Claude Code `summary` titles by leaf uuid). */
  | { kind: 'link-facts'; facts: JsonValue };

/** Options of `SessionSourceReader.readFile`. */
export interface ReadFileOptions {
  /** `active` (default): the trajectory the harness would resume. `all`: every branch, each marked active or abandoned. */
  branches?: 'active' | 'all';
  /** Lines longer than this become a `line-too-long` warning. */
  maxLineBytes?: number;
  /**
   * `summary`: the caller keeps only what `summarizeSession` (@forge/schema) reads (`forge stats`).
   * A reader may then hand out `summaryMessage`s and leave out a session's `systemPrompt` and
   * `tools`; roles, provenance, counts, usage, models, ids, times, titles and warnings stay as in
   * `full` (the default). A reader that ignores it gives whole messages: the same summaries.
   */
  detail?: 'full' | 'summary';
  /**
   * Called with the file's bytes when the reader read it whole (a small file, `readSmallFile`): a
   * caller that fingerprints the file hashes these instead of opening and reading it again, and
   * learns the file's size as read. Not called for a streamed file, nor by a reader that does not
   * read whole files. Stays on the calling thread (`ReaderPool` does not pass it to a worker).
   */
  onWholeRead?: (bytes: Buffer) => void;
}

/** One file's result as `link` receives it (from a fresh read or from a cache). */
export interface FileSessions {
  file: SourceFile;
  sessions: Session[];
  linkFacts: JsonValue[];
}

/** Where to look: explicit roots, or the program's defaults (its own environment variables, then `~`). */
export interface DiscoverOptions {
  roots?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  homeDirectory?: string;
  /** Things skipped while listing (a stale index, an unreadable folder). */
  onWarning?: (warning: SessionWarning) => void;
  /** What earlier runs' discovery read from files' heads: an unchanged file need not be opened again. */
  headerMemo?: HeaderMemo;
}

/**
 * What a reader's discovery learnt from a file's first bytes (its header), remembered with the
 * size and mtime the file had then (a `StateStore` keeps it between runs). A file whose path, size
 * and mtime are unchanged has the same head, so discovery builds its `SourceFile` from the
 * remembered facts instead of opening it.
 */
export interface HeaderMemo {
  /** The facts remembered for `path` if it had this size and mtime (`null`: remembered as not the reader's); else undefined. */
  recall(path: string, size: number, mtimeMs: number): JsonValue | undefined;
  /** Records what discovery read from the file now (`null`: its head is not the reader's). */
  remember(path: string, size: number, mtimeMs: number, facts: JsonValue): void;
}

/** Where a worker thread imports a reader from: its module (`import.meta.url`) and export name. */
export interface ReaderLocation {
  url: string;
  exportName: string;
}

/** A reader of one agent program's sessions. */
export interface SessionSourceReader {
  /** Stable name of the reader (`claude-code`, `pi-family`). */
  readonly name: string;
  /**
   * The `Session.source` values it yields (`pi`, `pir`, `omp` for the pi family). These are the
   * CLI's `--source` names and `--root <source>=DIR` prefixes.
   */
  readonly sources: readonly SessionSource[];
  /** Other names the CLI accepts for its sources (`claude` for `claude-code`). */
  readonly aliases: Readonly<Record<string, SessionSource>>;
  /**
   * Where a worker thread can import this reader from (added by the readers helper: a pool
   * reads files for any reader; issue 13 runs per-session work in workers). Absent: the reader
   * runs on the calling thread only.
   */
  readonly location?: ReaderLocation;
  /** The folders it reads under a home folder (`forge --root ~/backup-home`): `.claude`, `.pi/agent/sessions`, … */
  homeRoots(home: string): string[];
  /**
   * Every input file under the roots, in a stable order. Never opens a file for writing. The files
   * of one group come one after another (readers): a caller can link a group when the next begins.
   */
  discover(options?: DiscoverOptions): AsyncIterable<SourceFile>;
  /**
   * Whether a file is one of this reader's, from its first bytes (at most 64 KiB; `head` may end
   * mid-line): the `Session.source` its sessions will carry (the `SourceFile.source` to read it
   * with), or undefined when it is not this reader's. Used for files the user names
   * (`forge inspect FILE`).
   *
   * Changed from `boolean` (readers): a named file needs its source too (pi and pir share a
   * folder; only the header tells), and a truthy result still reads as "mine".
   */
  detect(head: Buffer, path: string): SessionSource | undefined;
  /** THE engine: one file's sessions as a stream. Bad lines become warnings; it never throws for bad content. */
  readFile(file: SourceFile, options?: ReadFileOptions): AsyncIterable<SourceEvent>;
  /**
   * The cross-file step for grouped files (Claude Code: resume copies removed, titles from other
   * files' summaries, subagents linked to their spawning call). Pure and deterministic: the same
   * input in any order gives the same output. Absent: files stand alone.
   */
  link?(files: readonly FileSessions[], onWarning: (warning: SessionWarning) => void): Session[];
}
