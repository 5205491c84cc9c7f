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
}

export interface InspectOptions {
  json: boolean;
}

export interface ExportOptions {
  format: 'sharegpt' | 'openai' | 'messages';
  out?: string;
  keepNoise: boolean;
  quiet: boolean;
}

export interface RunOptions extends SessionInputOptions {
  out?: string;
  config?: string;
  format?: string;
  demo: boolean;
  keepNoise: boolean;
  validationRatio?: number;
  maxTokens?: number;
  overLength?: 'split' | 'drop';
  tokenizer?: string;
  cacheDir?: string;
  full: boolean;
  json: boolean;
}

export interface AuditOptions {
  config?: string;
  json: boolean;
}
