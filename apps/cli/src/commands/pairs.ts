import { type Session } from '@forge/schema';
import { createDatasetBuilder, type PreferenceLabels } from '@forge/transform';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { loadConfig } from '../config/load-config.js';
import { resolvePairingConfig } from '../config/pairing-config.js';
import { renderTable } from '../render/table.js';
import { planPreferences } from '../run/plan-preferences.js';
import { type PairsOptions } from './command-options.js';
import { facetRoots, loadSessions } from './load-sessions.js';
import { withStateStore } from './score-selection.js';

/**
 * `forge pairs`: every branch of the selected sessions, scored, planned and built as `forge run
 * --format dpo-trl,kto` would (the same forge.config.json and flags for redaction, scoring, beads
 * stores, repositories, margin and kinds; the recorded verdicts; splitting and dedup included), in
 * memory; prints what would be emitted and, on stderr, why the rest gave no pair.
 */
export async function pairsCommand(flags: PairsOptions, io: CliIo): Promise<ExitCode> {
  const loaded = loadConfig(io.cwd, flags.config);
  const pairing = resolvePairingConfig(flags, loaded, io);
  const sessions: Session[] = [];
  const builder = await createDatasetBuilder({ formats: ['dpo-trl', 'kto'], validationRatio: 0, redaction: { ...pairing.redaction, ...(io.env.HOME == null ? {} : { homeDirectory: io.env.HOME }) } });
  await loadSessions(flags, io, async (session) => {
    sessions.push(session);
    await builder.addSession(session, session.branch.isActive ? {} : { preferenceOnly: true });
  }, { branches: 'all' });
  const verdicts = await withStateStore({ ...(loaded.config.cacheDir == null ? {} : { cacheDir: loaded.config.cacheDir }) }, io, (store) => store.verdicts());
  const { plan, warnings } = await planPreferences(sessions, {
    ...(pairing.minMargin == null ? {} : { minMargin: pairing.minMargin }),
    ...(pairing.pairBy == null ? {} : { pairBy: pairing.pairBy }),
    scoring: {
      ...(pairing.beadsDirs == null ? {} : { beadsDirs: pairing.beadsDirs }),
      ...(pairing.gitDirs == null ? {} : { gitDirs: pairing.gitDirs }),
      ...(pairing.scoring == null ? {} : { config: pairing.scoring }),
      verdicts,
      env: io.env,
      cwd: io.cwd,
      claudeRoots: facetRoots(flags, io),
    },
  });
  const dataset = builder.finish(plan);
  try {
    const emitted: PreferenceLabels[] = [];
    for (const format of ['dpo-trl', 'kto']) for (const row of dataset.rows(format, 'train')) if (row.labels.preference != null) emitted.push(row.labels.preference);
    if (flags.json) {
      for (const preference of emitted) io.stdout.write(`${JSON.stringify(preference)}\n`);
    } else {
      const score = (value: number | null): string => (value == null ? '-' : value.toFixed(3));
      io.stdout.write(
        renderTable(
          ['kind', 'bead', 'chosen', 'score', 'rejected', 'score', 'margin'],
          emitted.map((entry) =>
            entry.kind === 'single'
              ? ['kto', entry.bead, entry.label ? entry.session.sessionId : '-', score(entry.session.score), entry.label ? '-' : entry.session.sessionId, '-', '-']
              : [entry.kind, entry.bead ?? beadsOf(entry), entry.chosen.sessionId, score(entry.chosen.score), entry.rejected.sessionId, score(entry.rejected.score), score(entry.margin)],
          ),
        ),
      );
    }
    if (!flags.quiet) {
      for (const item of dataset.manifest.skipped) if (/^(pair|single)/u.test(item.ref)) io.stderr.write(`no pair: ${item.ref}: ${item.reason}\n`);
      for (const warning of warnings) io.stderr.write(`warning: ${warning.file}${(warning.line ?? 0) > 0 ? `:${warning.line}` : ''}: ${warning.message}\n`);
    }
    return warnings.length > 0 ? exitCodes.doneWithWarnings : exitCodes.ok;
  } finally {
    dataset.close();
  }
}

/** A same-type pair's beads (each side worked its own), `chosen>rejected`; `-` for a pair of no bead. */
function beadsOf(pair: { chosen: { bead?: string }; rejected: { bead?: string } }): string {
  return pair.chosen.bead == null ? '-' : `${pair.chosen.bead}>${pair.rejected.bead ?? '-'}`;
}
