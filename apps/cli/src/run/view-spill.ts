import { appendFileSync, closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { threadId } from 'node:worker_threads';
import { ScoreSummarizer, type ScoreSummarizerSnapshot, type ScoringView } from '@forge/scoring';
import { type SessionScore, type SessionWarning } from '@forge/schema';
import { createSessionScorer, type ScoringOutcomes } from './score-sessions.js';

/** What is kept beside each scoring view until it is scored. */
export interface ViewEntry {
  /** On the active branch: its score counts in the manifest's summary. */
  active: boolean;
  /** A preference-pair candidate: its whole score comes back (the pair planner reads its outcome). */
  candidate: boolean;
}

/** Where a view waits: its spill file and line (0-based). */
export interface ViewRef {
  file: string;
  line: number;
}

/** One view, scored: what the run applies (its label in the rows; the whole score of a pair candidate). */
export interface ViewScore {
  score: number;
  /** The beads the session worked (none: absent). */
  beads?: string[];
  whole?: SessionScore;
}

/** A spill file, scored: a score per line, the summary of the active ones, and the warnings reading commits gave. */
export interface ScoredViews {
  scores: ViewScore[];
  summary: ScoreSummarizerSnapshot;
  warnings: SessionWarning[];
}

/**
 * One thread's scoring views, written to its own file as they are made and scored once every
 * session's folder is known (outcomes are read once, for all of them): a run never holds every
 * session's view, and its threads score the spills side by side. One line per view, in the order added.
 */
export class ViewSpill {
  #lines = 0;
  #pending = '';

  constructor(readonly file: string) {}

  /** This thread's spill in `folder` (a run's worker threads each write their own). */
  static forThread(folder: string): ViewSpill {
    return new ViewSpill(join(folder, `scoring-views-${threadId}.jsonl`));
  }

  /** `view`: the view as JSON. Written at the next {@link flush}. */
  add(entry: ViewEntry, view: string): ViewRef {
    this.#pending += `{"active":${entry.active},"candidate":${entry.candidate},"view":${view}}\n`;
    return { file: this.file, line: this.#lines++ };
  }

  /**
   * The same for a view whose messages were written to the file `messagesPath` as they streamed
   * (`StreamedViewMessages`): written at once, the file copied into the line a piece at a time,
   * never read whole.
   */
  addStreamed(entry: ViewEntry, view: Omit<ScoringView, 'messages'>, messagesPath: string): ViewRef {
    const rest = JSON.stringify(view);
    this.#pending += `{"active":${entry.active},"candidate":${entry.candidate},"view":{"messages":[`;
    this.flush();
    const messages = openSync(messagesPath, 'r');
    try {
      const piece = Buffer.allocUnsafe(1024 * 1024);
      for (let count = readSync(messages, piece); count > 0; count = readSync(messages, piece)) appendFileSync(this.file, piece.subarray(0, count));
    } finally {
      closeSync(messages);
    }
    this.#pending += `]${rest.length > 2 ? ',' : ''}${rest.slice(1)}}\n`;
    this.flush();
    return { file: this.file, line: this.#lines++ };
  }

  /** Appends the views added since the last flush (a unit's, at its end). */
  flush(): void {
    if (this.#pending === '') return;
    appendFileSync(this.file, this.#pending, { mode: 0o600 });
    this.#pending = '';
  }
}

/**
 * Scores every view of a spill file in order against the outcomes read (indexed here: the thread
 * that calls this may be a worker); see `createSessionScorer`.
 */
export async function scoreViewSpill(file: string, outcomes: ScoringOutcomes): Promise<ScoredViews> {
  const scorer = createSessionScorer({ ...outcomes, warnings: [] });
  const summarizer = new ScoreSummarizer();
  const scores: ViewScore[] = [];
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    if (line === '') continue;
    const { active, candidate, view } = JSON.parse(line) as ViewEntry & { view: Parameters<typeof scorer.score>[0] };
    const score = await scorer.score(view);
    if (active) summarizer.add(score);
    const beads = score.links.beads.filter((bead) => bead.role === 'worked').map((bead) => bead.id);
    scores.push({ score: score.score, ...(beads.length === 0 ? {} : { beads }), ...(candidate ? { whole: score } : {}) });
  }
  return { scores, summary: summarizer.snapshot(), warnings: [...scorer.warnings] };
}
