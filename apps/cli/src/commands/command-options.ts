import { type PairBy } from '@forge/transform';

/** The flags each command receives from the parser. */

export interface SessionInputOptions {
  source?: string;
  root: string[];
  quiet: boolean;
}

export interface ExtractOptions extends SessionInputOptions {
  out?: string;
}

export interface StatsOptions extends SessionInputOptions {
  json: boolean;
  /** Read whole Sessions instead of the usage path (a check: both print the same). */
  wholeSessions: boolean;
  /** Threads the usage path reads on (default: the available cores; 1 for inputs under 16 MB). */
  jobs?: number;
}

export interface InspectOptions {
  json: boolean;
}

export interface ExportOptions {
  format: 'sharegpt' | 'openai' | 'messages';
  out?: string;
  keepNoise: boolean;
  systemPrompt?: string;
  config?: string;
  quiet: boolean;
}

export interface RunOptions extends SessionInputOptions, PairingFlags {
  out?: string;
  format?: string;
  parquetShardMb?: number;
  shard?: string;
  demo: boolean;
  keepNoise: boolean;
  systemPrompt?: string;
  validationRatio?: number;
  maxTokens?: number;
  overLength?: 'split' | 'drop';
  tokenizer?: string;
  cacheDir?: string;
  full: boolean;
  jobs?: number;
  json: boolean;
  score: boolean;
  minScore?: number;
}

/** What scoring reads besides the sessions: beads stores, repositories, the config's `scoring` block, the verdicts' database. */
export interface ScoringInputFlags {
  beads: string[];
  git: string[];
  config?: string;
  cacheDir?: string;
}

export interface EvalExtractOptions extends SessionInputOptions, ScoringInputFlags {
  out: string;
  minScore?: number;
  role?: string;
}

export interface CompareOptions extends SessionInputOptions, ScoringInputFlags {
  by: 'model' | 'source' | 'role' | 'thinking';
  prices?: string;
  json: boolean;
}

/** What changes preference pairs besides the sessions: shared by `forge run` and `forge pairs`. */
export interface PairingFlags {
  config?: string;
  beads: string[];
  git: string[];
  minMargin?: number;
  pairBy?: PairBy[];
}

export interface PairsOptions extends SessionInputOptions, PairingFlags {
  json: boolean;
}

export interface CheckTemplateOptions {
  tokenizer?: string;
  json: boolean;
}

export interface MergeOptions {
  out: string;
  config?: string;
  quiet: boolean;
}

export interface ReportOptions {
  out?: string;
}

export interface SynthPlanOptions extends SessionInputOptions {
  target?: string;
  json: boolean;
}

export interface SynthRunOptions {
  harness: 'pi' | 'omp' | 'pir';
  role: string;
  count: number;
  thinking?: string;
  model?: string;
  provider?: string;
  tools?: string;
  concurrency?: number;
  timeout?: number;
  maxTokens?: number;
  maxRuns?: number;
  cwd?: string;
  out?: string;
  program?: string;
  templates?: string;
  var: string[];
  dryRun: boolean;
  json: boolean;
  quiet: boolean;
}

export interface ExtensionsInstallOptions {
  harness: 'pi' | 'omp';
  dir?: string;
}

export interface AuditOptions {
  config?: string;
  json: boolean;
}

/** What `forge score` and `forge review` read and score. */
export interface ScoreInputOptions extends SessionInputOptions, ScoringInputFlags {
  json: boolean;
}

export interface ScoreOptions extends ScoreInputOptions {
  explain: boolean;
  record?: string;
  verdict?: 'good' | 'bad' | 'skip';
  by?: string;
  note?: string;
  exportVerdicts?: string;
  importVerdicts?: string;
}

export type ReviewOptions = ScoreInputOptions;
