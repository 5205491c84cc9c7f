import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { type TokenCounter } from '../tokens/token-counter.js';
import { TransformError } from '../transform-error.js';

/** A model's chat template and the special tokens it refers to. */
export interface ChatTemplate {
  /** Where it came from (a file name: never a full path). */
  name: string;
  source: string;
  bosToken: string;
  eosToken: string;
}

/** A message field a template can leave out of what it renders. */
export type TemplateLossField = 'content' | 'reasoning_content' | 'tool_calls' | 'tool_result' | 'tools';

/** One thing a rendered row lost. */
export interface TemplateLoss {
  /** Index in the row's `messages` (-1 for the row's `tools`). */
  message: number;
  role: string;
  field: TemplateLossField;
  /** How many were lost (tool calls of the message, tool definitions of the row), else 1. */
  count: number;
  /** The template drops it on purpose (reasoning of turns before the last user message). */
  byDesign: boolean;
}

/** What happened to one row. */
export interface TemplateRowReport {
  /** `file:line`. */
  ref: string;
  /** Why the row could not be rendered (the template raised, or the line is no messages row). */
  error?: string;
  losses: TemplateLoss[];
  /** Tokens of the rendered row, with a tokenizer. */
  tokens?: number;
}

/** The check of every row. */
export interface TemplateCheckReport {
  template: string;
  rows: number;
  rendered: number;
  /** Rows with a loss the template does not drop by design. */
  rowsWithLosses: number;
  /** Rows that lose something, by field (by-design losses included, counted apart). */
  rowsLosing: Partial<Record<TemplateLossField, number>>;
  rowsLosingByDesign: Partial<Record<TemplateLossField, number>>;
  /** Only rows that failed or lost something, in order; with a tokenizer every row (for its count). */
  rowReports: TemplateRowReport[];
  tokens?: { counter: string; total: number; max: number };
}

/** One row as read: where it is and its JSON. */
export interface TemplateRowInput {
  ref: string;
  record: unknown;
}

interface MessageRow {
  messages: Array<Record<string, unknown> & { role: string }>;
  tools?: Array<{ type?: string; function?: { name?: string; parameters?: unknown } }> | null;
}

function tokenText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value != null && typeof value === 'object' && typeof (value as { content?: unknown }).content === 'string') return (value as { content: string }).content;
  return '';
}

/**
 * Reads a chat template: a `.jinja` file as is, or a `tokenizer_config.json`'s `chat_template`
 * (the `default` entry of a named list, or the first), with its `bos_token` and `eos_token`.
 */
export async function loadChatTemplate(path: string): Promise<ChatTemplate> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TransformError({ message: `cannot read the chat template ${path}`, code: 'template-invalid', location: { file: path }, hint: 'pass a chat_template.jinja or a tokenizer_config.json', cause: error });
  }
  if (!path.endsWith('.json')) return { name: basename(path), source: text, bosToken: '', eosToken: '' };
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new TransformError({ message: `${path} is not JSON`, code: 'template-invalid', location: { file: path }, hint: 'pass the model\'s tokenizer_config.json', cause: error });
  }
  const templates = config.chat_template;
  const named = Array.isArray(templates) ? (templates as Array<{ name?: string; template?: unknown }>) : undefined;
  const source = named == null ? templates : (named.find((entry) => entry.name === 'default') ?? named[0])?.template;
  if (typeof source !== 'string') throw new TransformError({ message: `${path} has no chat_template`, code: 'template-invalid', location: { file: path }, hint: 'pass a tokenizer_config.json with a chat_template, or the chat_template.jinja beside it' });
  return { name: basename(path), source, bosToken: tokenText(config.bos_token), eosToken: tokenText(config.eos_token) };
}

/** The row as a trainer hands it to `apply_chat_template`: tool arguments and parameters as objects (forge writes them as JSON strings). */
function trainerView(row: MessageRow): MessageRow {
  const parse = (value: unknown) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  };
  return {
    messages: row.messages.map((message) => ({
      ...message,
      ...(Array.isArray(message.tool_calls)
        ? { tool_calls: (message.tool_calls as Array<{ function: { arguments: unknown } }>).map((call) => ({ ...call, function: { ...call.function, arguments: parse(call.function.arguments) } })) }
        : {}),
    })),
    ...(row.tools == null ? {} : { tools: row.tools.map((tool) => ({ ...tool, function: { ...tool.function, parameters: parse(tool.function?.parameters) } })) }),
  };
}

const probeOpen = '\u27e6forge:';
const probeClose = '\u27e7';

/**
 * The row with every field replaced by a marker it can be found by (content, reasoning, each tool
 * call's name and arguments, tool results), and which markers stand for what.
 */
function probeRow(row: MessageRow): { probe: MessageRow; markers: Array<{ marker: string; message: number; role: string; field: TemplateLossField }> } {
  const markers: Array<{ marker: string; message: number; role: string; field: TemplateLossField }> = [];
  const mark = (message: number, role: string, field: TemplateLossField, suffix = '') => {
    const marker = `${probeOpen}${field}:${message}${suffix}${probeClose}`;
    markers.push({ marker, message, role, field });
    return marker;
  };
  const messages = row.messages.map((message, index) => {
    const probe: Record<string, unknown> & { role: string } = { ...message };
    if (typeof message.content === 'string' && message.content.trim() !== '') probe.content = mark(index, message.role, message.role === 'tool' ? 'tool_result' : 'content');
    if (typeof message.reasoning_content === 'string' && message.reasoning_content.trim() !== '') probe.reasoning_content = mark(index, message.role, 'reasoning_content');
    if (Array.isArray(message.tool_calls)) {
      probe.tool_calls = (message.tool_calls as Array<{ function: { name: string } }>).map((call, callIndex) => {
        // An identifier-safe name: templates may print it in code-like positions.
        const name = `forge_probe_${index}_${callIndex}`;
        markers.push({ marker: name, message: index, role: message.role, field: 'tool_calls' });
        return { ...call, function: { ...call.function, name, arguments: { forge_probe: name } } };
      });
    }
    return probe;
  });
  return { probe: { ...row, messages }, markers };
}

function isMessageRow(record: unknown): record is MessageRow {
  const messages = (record as { messages?: unknown } | null)?.messages;
  return Array.isArray(messages) && messages.every((message) => message != null && typeof message === 'object' && typeof (message as { role?: unknown }).role === 'string');
}

/**
 * Renders every messages row with a model's chat template (`@huggingface/jinja`, as a trainer
 * would: tool arguments and parameters as objects, no generation prompt) and reports, per row
 * and field, what failed to render or was left out: content, reasoning, tool calls, tool results,
 * tool definitions. Reasoning the template drops only before the last user message is marked
 * `byDesign` (Qwen3's template does this on purpose). With a token counter, every row's tokens.
 */
export function checkChatTemplate(template: ChatTemplate, rows: Iterable<TemplateRowInput>, options: { tokenCounter?: TokenCounter } = {}): TemplateCheckReport {
  let compiled: Template;
  try {
    compiled = new Template(template.source);
  } catch (error) {
    throw new TransformError({ message: `the chat template ${template.name} does not parse: ${(error as Error).message}`, code: 'template-invalid', hint: 'use the model\'s own chat_template' });
  }
  const render = (row: MessageRow) =>
    compiled.render({ messages: row.messages, ...(row.tools == null || row.tools.length === 0 ? {} : { tools: row.tools }), bos_token: template.bosToken, eos_token: template.eosToken, add_generation_prompt: false });
  const report: TemplateCheckReport = { template: template.name, rows: 0, rendered: 0, rowsWithLosses: 0, rowsLosing: {}, rowsLosingByDesign: {}, rowReports: [] };
  let tokenTotal = 0;
  let tokenMax = 0;
  for (const { ref, record } of rows) {
    report.rows += 1;
    if (!isMessageRow(record)) {
      report.rowReports.push({ ref, error: 'not a messages row (no messages[] with roles)', losses: [] });
      continue;
    }
    let text: string;
    let probeText: string;
    const { probe, markers } = probeRow(record);
    try {
      text = render(trainerView(record));
      probeText = render(probe);
    } catch (error) {
      report.rowReports.push({ ref, error: error instanceof Error ? error.message : String(error), losses: [] });
      continue;
    }
    report.rendered += 1;
    const losses: TemplateLoss[] = [];
    const lastUser = record.messages.findLastIndex((message) => message.role === 'user');
    for (const { marker, message, role, field } of markers) {
      if (probeText.includes(marker)) continue;
      const same = losses.find((loss) => loss.message === message && loss.field === field);
      if (same != null) same.count += 1;
      else losses.push({ message, role, field, count: 1, byDesign: field === 'reasoning_content' && message < lastUser });
    }
    const missingTools = (record.tools ?? []).filter((tool) => tool.function?.name != null && !text.includes(tool.function.name));
    if (missingTools.length > 0) losses.push({ message: -1, role: 'tools', field: 'tools', count: missingTools.length, byDesign: false });
    for (const field of new Set(losses.map((loss) => loss.field))) {
      const byDesign = losses.filter((loss) => loss.field === field).every((loss) => loss.byDesign);
      const counts = byDesign ? report.rowsLosingByDesign : report.rowsLosing;
      counts[field] = (counts[field] ?? 0) + 1;
    }
    if (losses.some((loss) => !loss.byDesign)) report.rowsWithLosses += 1;
    const tokens = options.tokenCounter?.count(text);
    if (tokens != null) {
      tokenTotal += tokens;
      tokenMax = Math.max(tokenMax, tokens);
    }
    if (losses.length > 0 || tokens != null) report.rowReports.push({ ref, losses, ...(tokens == null ? {} : { tokens }) });
  }
  if (options.tokenCounter != null) report.tokens = { counter: options.tokenCounter.name, total: tokenTotal, max: tokenMax };
  return report;
}

/**
 * The messages rows of a dataset: a folder forge wrote (its `messages/train.jsonl` and
 * `messages/val.jsonl`) or one JSONL file. A line that is not JSON becomes a row that cannot be
 * rendered, with its `file:line`.
 */
export async function readTemplateRows(path: string): Promise<TemplateRowInput[]> {
  const info = await stat(path).catch(() => undefined);
  if (info == null) throw new TransformError({ message: `no dataset at ${path}`, code: 'not-a-dataset', hint: 'pass a folder forge run wrote with --format messages, or a messages JSONL file' });
  const files = info.isDirectory() ? ['train.jsonl', 'val.jsonl'].map((name) => join(path, 'messages', name)) : [path];
  const rows: TemplateRowInput[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text == null) throw new TransformError({ message: `cannot read ${file}`, code: 'not-a-dataset', hint: 'write the dataset with --format messages (the format chat templates take)' });
    text.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      const ref = `${info.isDirectory() ? `messages/${basename(file)}` : basename(file)}:${index + 1}`;
      try {
        rows.push({ ref, record: JSON.parse(line) as unknown });
      } catch {
        rows.push({ ref, record: undefined });
      }
    });
  }
  return rows;
}
