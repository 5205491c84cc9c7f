import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { type DiscoveredInputs } from './collect-sessions.js';

/** One slice of the inputs: shard `index` of `count` (1-based, as `forge run --shard 2/4` spells it). */
export interface InputShard {
  index: number;
  count: number;
}

/** Which shard an input key falls in (0-based): the first 48 bits of its SHA-256, modulo the count. */
function shardOf(key: string, count: number): number {
  return createHash('sha256').update(key).digest().readUIntBE(0, 6) % count;
}

/**
 * The inputs of one shard: a deterministic slice by a hash of each file's path, or of its group
 * (a Claude Code project folder) when it has one, so files that are linked after reading stay on
 * one machine. Only the key's last two path segments count (a session file and its folder, or
 * `projects/<project>`): the same home copied to another machine or path slices the same way. Every shard gets a disjoint slice, together every file; discovery warnings go to
 * shard 1 only, so merged shards count each once.
 */
export function shardInputs(discovered: DiscoveredInputs, shard: InputShard): DiscoveredInputs {
  const mine = (file: DiscoveredInputs['files'][number]) => shardOf(portableKey(file.group ?? file.path), shard.count) === shard.index - 1;
  return {
    perReader: discovered.perReader.map(({ reader, files }) => ({ reader, files: files.filter(mine) })),
    files: discovered.files.filter(mine),
    warnings: shard.index === 1 ? discovered.warnings : [],
  };
}

/** A path's last two segments: what names a session file (or a project) wherever its home lives. */
function portableKey(path: string): string {
  return `${basename(dirname(path))}/${basename(path)}`;
}
