import { type ScoringConfigInput } from '@forge/schema';
import { type PairBy, type RedactionOptions } from '@forge/transform';
import { type CliIo } from '../cli-io.js';
import { type PairingFlags } from '../commands/command-options.js';
import { type ForgeConfig } from './load-config.js';
import { redactionOptions } from './redaction-options.js';

/** What changes preference pairs besides the sessions, named as `runForge()` takes them; absent keys take runForge's defaults. */
export interface PairingConfig {
  beadsDirs?: readonly string[];
  gitDirs?: readonly string[];
  scoring?: ScoringConfigInput;
  redaction?: RedactionOptions;
  minMargin?: number;
  pairBy?: readonly PairBy[];
}

/**
 * The flags over forge.config.json for everything that changes the pairs: the beads stores and
 * repositories scored against, the `scoring` and `redaction` blocks, the margin and the kinds. The
 * one resolution `forge run` and `forge pairs` share, so `forge pairs` lists what `forge run` writes.
 */
export function resolvePairingConfig(flags: PairingFlags, loaded: { config: ForgeConfig; path: string | undefined }, io: Pick<CliIo, 'env' | 'cwd'>): PairingConfig {
  const { config, path } = loaded;
  const beadsDirs = flags.beads.length > 0 ? flags.beads : config.beadsDirs;
  const gitDirs = flags.git.length > 0 ? flags.git : config.gitDirs;
  const redaction = redactionOptions(config, path, io.env, io.cwd);
  const minMargin = flags.minMargin ?? config.minMargin;
  const pairBy = flags.pairBy ?? config.pairBy;
  return {
    ...(beadsDirs == null ? {} : { beadsDirs }),
    ...(gitDirs == null ? {} : { gitDirs }),
    ...(config.scoring == null ? {} : { scoring: config.scoring }),
    ...(redaction == null ? {} : { redaction }),
    ...(minMargin == null ? {} : { minMargin }),
    ...(pairBy == null ? {} : { pairBy }),
  };
}
