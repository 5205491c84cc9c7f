import {
  defaultScoringConfig,
  type BeadOutcome,
  type CommitOutcome,
  type CommitPatch,
  type OutcomeTier,
  type ScoreSignal,
  type ScoringConfig,
  type SessionOutcome,
  type SessionScore,
  type Verdict,
} from '@forge/schema';
import { readAgentEdit, type AgentEdit } from './agent-edits.js';
import { beadOutcomes, describeTier } from './bead-outcomes.js';
import { measureCodeSurvival, samePath } from './code-survival.js';
import { type OutcomeIndex } from './index-outcomes.js';
import { linkSession, type CommitLink, type SessionLinkage } from './link-session.js';
import { type ScoringView } from './scoring-view.js';
import { readCompletion } from './signals/completion-signal.js';
import { readCorrections } from './signals/correction-signal.js';
import { readFacets } from './signals/facets-signal.js';
import { percent, unitScore, type HeuristicReading } from './signals/heuristic-reading.js';
import { readThinking } from './signals/thinking-signal.js';
import { readToolErrors } from './signals/tool-error-signal.js';
import { readContextBeforeEdit, readValidationAfterEdit } from './signals/work-habit-signals.js';

/** Options of {@link scoreSession}. */
export interface ScoreSessionOptions {
  /** From {@link linkSession}; linked here when absent. */
  linkage?: SessionLinkage;
  /**
   * The diffs of the linked commits (`readCommitPatches` of @forge/extract-outcomes for
   * `linkage.commits`). Without them code survival is unknown and weak (time-window-only) commits
   * are dropped.
   */
  patches?: readonly CommitPatch[];
  config?: ScoringConfig;
  /** A recorded verdict for this session: `good`/`bad` override the computed score. */
  verdict?: Verdict;
}

type HeuristicKey = keyof ScoringConfig['heuristics'];

/**
 * Scores one session in [0, 1] from its outcome (how the beads it worked fared, whether its code
 * survived into its commits) and heuristic signals, each reported with value, score, weight and
 * reason. Deterministic and pure. See the package README for the formula.
 */
export function scoreSession(session: ScoringView, index: OutcomeIndex, options: ScoreSessionOptions = {}): SessionScore {
  const config = options.config ?? defaultScoringConfig();
  const linkage = options.linkage ?? linkSession(session, index, config);
  const edits = linkage.toolUses.map(readAgentEdit).filter((edit): edit is AgentEdit => edit != null);
  const reasons: string[] = [];
  const signals: Record<string, ScoreSignal> = {};

  const beads = beadOutcomes(linkage, index);
  const commitLinks = confirmedCommits(linkage.commits, edits, options.patches);
  const commits = commitLinks.map((link) => commitOutcome(link, options.patches));
  let outcome: SessionOutcome | null = null;
  let outcomeScore: number | null = null;
  // Links to beads no store holds, with no commit either, are no outcome: the links are still reported.
  if (beads.some((bead) => bead.status !== 'unknown') || commits.length > 0) {
    const survival = codeSurvival(edits, commitLinks, options.patches, linkage);
    outcome = { beads, commits, codeSurvival: survival.share };
    signals.codeSurvival = { value: survival.share, score: survival.share, weight: survival.share == null || !beads.some(hasTierValue) ? 0 : config.codeSurvival, reason: survival.reason };
    const tierPart = weightedTierValue(beads, linkage, config);
    for (const bead of beads) reasons.push(`${bead.id}: ${describeTier(bead)}`);
    if (commits.length > 0) reasons.push(`${commits.length} linked commit${commits.length === 1 ? '' : 's'} (${commits.filter((commit) => commit.landed).length} landed)`);
    if (survival.share != null) reasons.push(survival.reason);
    if (tierPart != null) {
      outcomeScore = survival.share == null ? tierPart : (1 - config.codeSurvival) * tierPart + config.codeSurvival * survival.share;
    } else if (commits.length > 0) {
      outcomeScore = survival.share ?? commits.filter((commit) => commit.landed).length / commits.length;
    }
    signals.outcome = {
      value: beads.find((bead) => bead.tier != null)?.tier ?? (commits.length > 0 ? 'commits' : 'unknown'),
      score: outcomeScore == null ? null : unitScore(outcomeScore),
      weight: outcomeScore == null ? 0 : config.weights.outcome,
      reason: outcomeScore == null ? 'linked beads have no known outcome yet' : beads.length > 0 ? beads.map((bead) => `${bead.id} ${bead.tier ?? 'unknown'}`).join(', ') : 'commits only: their survival decides',
    };
  } else {
    const unknown = beads.map((bead) => bead.id);
    signals.outcome = { value: 'unknown', score: null, weight: 0, reason: unknown.length === 0 ? 'no bead or commit linked' : `linked to ${unknown.join(', ')}, which no beads store read holds; no commit linked` };
  }
  if (outcomeScore == null) reasons.push('outcome unknown: the score rests on heuristics alone');

  const heuristics: Record<HeuristicKey, HeuristicReading> = {
    toolErrors: readToolErrors(linkage.toolUses, session.forgeEntries),
    completion: readCompletion(session),
    context: readContextBeforeEdit(linkage.toolUses, edits),
    validation: readValidationAfterEdit(linkage.toolUses, edits),
    corrections: readCorrections(session, linkage.toolUses),
    facets: readFacets(index.facets(session.id)),
  };
  let weighted = 0;
  let totalWeight = 0;
  for (const [key, reading] of Object.entries(heuristics) as [HeuristicKey, HeuristicReading][]) {
    const weight = reading.score == null ? 0 : config.heuristics[key];
    signals[key] = { ...reading, weight };
    if (reading.score != null && weight > 0) {
      weighted += weight * reading.score;
      totalWeight += weight;
      if (reading.score < 0.5) reasons.push(reading.reason);
    }
  }
  const thinking = readThinking(session);
  const boost = config.thinkingBoost * (typeof thinking.value === 'number' ? thinking.value : 0);
  signals.thinking = { ...thinking, weight: config.thinkingBoost };
  const heuristicScore = unitScore((totalWeight === 0 ? 0.5 : weighted / totalWeight) + boost);
  signals.heuristics = { value: heuristicScore, score: heuristicScore, weight: outcomeScore == null ? 1 : config.weights.heuristics, reason: `weighted mean of ${Object.values(heuristics).filter((reading) => reading.score != null).length} heuristic signals${boost > 0 ? ` + thinking boost ${boost.toFixed(3)}` : ''}` };

  const mix = config.weights.outcome + config.weights.heuristics;
  let score = outcomeScore == null || mix === 0 ? heuristicScore : (config.weights.outcome * outcomeScore + config.weights.heuristics * heuristicScore) / mix;
  score = unitScore(score);
  if (options.verdict != null && options.verdict.verdict !== 'skip') {
    score = unitScore(options.verdict.verdict === 'good' ? config.verdicts.good : config.verdicts.bad);
    reasons.unshift(`verdict ${options.verdict.verdict}${options.verdict.by == null ? '' : ` by ${options.verdict.by}`}${options.verdict.note == null ? '' : `: ${options.verdict.note}`} (overrides the computed score)`);
  }
  const result: SessionScore = {
    sessionId: session.id,
    source: session.source,
    file: linkage.file,
    score,
    outcomeKnown: outcomeScore != null,
    outcome,
    signals,
    reasons,
    links: linkage.links,
  };
  if (options.verdict != null) result.verdict = options.verdict;
  return result;
}

function hasTierValue(bead: BeadOutcome): boolean {
  return bead.tier != null && bead.tier !== 'in-progress';
}

const tierKeys: Record<Exclude<OutcomeTier, 'in-progress'>, keyof ScoringConfig['tiers']> = {
  'first-try': 'firstTry',
  'no-changes': 'noChanges',
  rework: 'rework',
  reopened: 'reopened',
  redispatched: 'redispatched',
  abandoned: 'abandoned',
};

/** Mean tier value of the worked beads with a known outcome, each weighted by its segment's length. */
function weightedTierValue(beads: readonly BeadOutcome[], linkage: SessionLinkage, config: ScoringConfig): number | null {
  let sum = 0;
  let weights = 0;
  for (const bead of beads) {
    if (bead.tier == null || bead.tier === 'in-progress') continue;
    const length = linkage.links.segments.filter((segment) => segment.beadId === bead.id).reduce((total, segment) => total + segment.to - segment.from + 1, 0);
    const weight = Math.max(1, length);
    sum += weight * config.tiers[tierKeys[bead.tier]];
    weights += weight;
  }
  return weights === 0 ? null : sum / weights;
}

/** Strong links stay; a weak (time-window-only) link stays when its diff touches a file the agent edited. */
function confirmedCommits(links: readonly CommitLink[], edits: readonly AgentEdit[], patches: readonly CommitPatch[] | undefined): CommitLink[] {
  const bySha = new Map((patches ?? []).map((patch) => [patch.sha, patch]));
  return links.filter((link) => {
    if (link.strength === 'strong') return true;
    const patch = bySha.get(link.commit.sha);
    return patch != null && patch.files.some((file) => edits.some((edit) => samePath(edit.path, file.path)));
  });
}

function commitOutcome(link: CommitLink, patches: readonly CommitPatch[] | undefined): CommitOutcome {
  const outcome: CommitOutcome = { sha: link.commit.sha, subject: link.commit.subject, landed: link.commit.landed, beads: link.beads, evidence: link.evidence };
  const patch = patches?.find((candidate) => candidate.sha === link.commit.sha);
  if (patch != null) {
    outcome.additions = patch.files.reduce((total, file) => total + file.additions, 0);
    outcome.deletions = patch.files.reduce((total, file) => total + file.deletions, 0);
  }
  return outcome;
}

function codeSurvival(edits: readonly AgentEdit[], commits: readonly CommitLink[], patches: readonly CommitPatch[] | undefined, linkage: SessionLinkage): { share: number | null; reason: string } {
  if (edits.length === 0) return { share: null, reason: 'the agent made no edits' };
  if (linkage.repositoryId == null) return { share: null, reason: 'no git repository for the session: code survival unknown' };
  if (patches == null) return { share: null, reason: 'commit diffs not read: code survival unknown' };
  const shas = new Set(commits.map((link) => link.commit.sha));
  const survival = measureCodeSurvival(edits, patches.filter((patch) => shas.has(patch.sha)));
  if (survival.share == null) return { share: null, reason: 'the agent added no significant lines' };
  return { share: survival.share, reason: `${survival.survived} of ${survival.added} added lines (${percent(survival.survived, survival.added)}) are in the linked commits` };
}
