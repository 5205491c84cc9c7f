import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { sharedFixturesRoot } from '@forge-internal/test-agents';
import { corpusText, derivedUuid, plantedCorpus, seededRandom, type PlantedKind } from './planted-corpus.js';

/** Every place of a session a secret can sit in. */
export const claudePlaces = ['user-prompt', 'tool-arguments', 'tool-output', 'tool-use-result', 'assistant-text', 'thinking', 'session-title', 'subagent', 'everywhere'] as const;
export const piPlaces = ['user-prompt', 'tool-arguments', 'tool-output', 'assistant-text', 'thinking', 'session-title'] as const;
export type PlantedPlace = (typeof claudePlaces)[number];

/** One transcript copy with the corpus planted in one place. */
export interface PlantedTranscript {
  source: 'claude-code' | 'pi';
  place: PlantedPlace;
  /** A phrase in the copy's first prompt: shows the copy was emitted. */
  marker: string;
  kinds: PlantedKind[];
}

type Json = Record<string, unknown>;

const realClaude = 'real/claude/.claude/projects/-home-ubuntu-gt-myrig-polecats-nux/785d9c5e-608b-4153-be11-9b182a683525.jsonl';
const sampleWithSubagent = 'claude/samples/claude-code-log/-experiments-worktrees';
const sampleSessionId = 'ef958aa1-0e93-49f0-bb71-150f63befcd1';
const realPi = 'real/pi/.pi/agent/sessions/--home-ubuntu-gt-myrig-polecats-nux--/2026-11-24T04-07-47-845Z_01a20bbd-0984-77ca-9e17-aa1ee6080a55.jsonl';

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** The fixture's lines with every UUID replaced by one of this copy's own (readers drop resumed copies by line id). */
function copyLines(path: string, salt: string): Json[] {
  const text = readFileSync(join(sharedFixturesRoot, path), 'utf8').replace(uuidPattern, (uuid) => derivedUuid(uuid, salt));
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Json);
}

function writeLines(path: string, lines: readonly Json[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
}

/** A distinct paragraph per copy, so dedup keeps every copy (near-duplicates would be dropped, and their secrets with them). */
function markerParagraph(label: string, seed: number): string {
  const random = seededRandom(seed * 7919 + 1);
  const words = Array.from({ length: 600 }, () => random(3 + Number(random(1, '0123456')), 'abcdefghijklmnopqrstuvwxyz'));
  return `[planted ${label}] ${words.join(' ')}`;
}

const contentOf = (line: Json) => (line.message as Json | undefined)?.content;
const isRole = (line: Json, role: string) => (line.message as Json | undefined)?.role === role;

function blocks(line: Json | undefined): Json[] {
  const content = line == null ? undefined : contentOf(line);
  return Array.isArray(content) ? (content as Json[]) : [];
}

function first<T>(items: readonly T[], predicate: (item: T) => boolean, what: string): T {
  const found = items.find(predicate);
  if (found == null) throw new Error(`fixture has no ${what}`);
  return found;
}

function appendText(block: Json, text: string): void {
  block.text = `${typeof block.text === 'string' ? block.text : ''}${text}`;
}

function appendToPrompt(line: Json, text: string): void {
  const message = line.message as Json;
  if (typeof message.content === 'string') message.content = `${message.content}\n\n${text}`;
  else appendText(first(blocks(line), (block) => block.type === 'text', 'prompt text'), `\n\n${text}`);
}

/** Plants the corpus in one place of a copy of a real Claude Code transcript. */
function plantClaude(home: string, place: PlantedPlace, seed: number): PlantedTranscript {
  const kinds = plantedCorpus(seed);
  const planted = corpusText(kinds);
  const marker = markerParagraph(`claude-code ${place}`, seed);
  const project = join(home, '.claude', 'projects', `-home-alice-app-${place}`);
  const salt = `claude-${place}`;
  if (place === 'subagent') {
    // A real main session with a real subagent transcript beside it; the corpus goes into the subagent's prompt.
    const main = copyLines(`${sampleWithSubagent}/${sampleSessionId}.jsonl`, salt);
    const subagentFolder = `${sampleWithSubagent}/${sampleSessionId}/subagents`;
    const agentFile = 'agent-a52886dc180afb356';
    const agent = copyLines(`${subagentFolder}/${agentFile}.jsonl`, salt);
    appendToPrompt(first(agent, (line) => line.type === 'user' && isRole(line, 'user'), 'subagent prompt'), `${marker}\n\n${planted}`);
    const sessionId = derivedUuid(sampleSessionId, salt);
    writeLines(join(project, `${sessionId}.jsonl`), main);
    writeLines(join(project, sessionId, 'subagents', `${agentFile}.jsonl`), agent);
    writeFileSync(join(project, sessionId, 'subagents', `${agentFile}.meta.json`), readFileSync(join(sharedFixturesRoot, subagentFolder, `${agentFile}.meta.json`)));
    return { source: 'claude-code', place, marker, kinds };
  }
  const lines = copyLines(realClaude, salt);
  const prompt = first(lines, (line) => line.type === 'user' && typeof contentOf(line) === 'string', 'user prompt');
  appendToPrompt(prompt, place === 'user-prompt' ? `${marker}\n\n${planted}` : marker);
  const toolResultLine = first(lines, (line) => line.type === 'user' && blocks(line).some((block) => block.type === 'tool_result') && line.toolUseResult != null, 'tool result');
  const assistantText = first(lines, (line) => line.type === 'assistant' && blocks(line).some((block) => block.type === 'text'), 'assistant text');
  switch (place) {
    case 'tool-arguments': {
      const call = first(
        lines.flatMap((line) => blocks(line)),
        (block) => block.type === 'tool_use',
        'tool call',
      );
      (call.input as Json).description = planted;
      break;
    }
    case 'tool-output': {
      const result = first(blocks(toolResultLine), (block) => block.type === 'tool_result', 'tool result block');
      result.content = typeof result.content === 'string' ? `${result.content}\n${planted}` : [...(result.content as Json[]), { type: 'text', text: planted }];
      break;
    }
    case 'tool-use-result':
      toolResultLine.toolUseResult = { ...(toolResultLine.toolUseResult as Json), stdout: planted, planted: { nested: [planted] } };
      break;
    case 'assistant-text':
      appendText(first(blocks(assistantText), (block) => block.type === 'text', 'text block'), `\n\n${planted}`);
      break;
    case 'thinking':
      blocks(assistantText).unshift({ type: 'thinking', thinking: planted, signature: 'c2lnbmF0dXJl' });
      break;
    case 'session-title':
      lines.push({ type: 'ai-title', aiTitle: planted, sessionId: prompt.sessionId });
      break;
    case 'user-prompt':
    case 'everywhere':
      break;
  }
  const file = join(project, `${derivedUuid(basename(realClaude, '.jsonl'), salt)}.jsonl`);
  writeLines(file, lines);
  return { source: 'claude-code', place, marker, kinds };
}

/**
 * Session-wide propagation: a password a rule finds in a connection string (tool output) and one
 * it finds under a YAML key, repeated bare in the prompt and the title, URL-encoded in tool
 * arguments, inside base64 in the assistant's text and JSON-escaped in its thinking, where no
 * rule would find them on their own.
 */
function plantRepeated(home: string, seed: number): PlantedTranscript {
  const random = seededRandom(seed);
  const password = `${random(5)}#${random(5)}$${random(3)}!`;
  const quoted = `${random(4)}"${random(4)}\\${random(4)}`;
  const encoded = encodeURIComponent(password);
  const basic = Buffer.from(`app:${password}`).toString('base64');
  const escaped = JSON.stringify(quoted).slice(1, -1);
  const kinds: PlantedKind[] = [{ kind: 'repeated-password', snippet: '', secrets: [password, encoded, basic, quoted, escaped] }];
  const marker = markerParagraph('claude-code everywhere', seed);
  const salt = 'claude-everywhere';
  const lines = copyLines(realClaude, salt);
  const prompt = first(lines, (line) => line.type === 'user' && typeof contentOf(line) === 'string', 'user prompt');
  appendToPrompt(prompt, `${marker}\n\nUse ${password} again for staging, it is the same one.`);
  const toolResultLine = first(lines, (line) => line.type === 'user' && blocks(line).some((block) => block.type === 'tool_result') && line.toolUseResult != null, 'tool result');
  const result = first(blocks(toolResultLine), (block) => block.type === 'tool_result', 'tool result block');
  const output = `DATABASE_URL=postgres://app:${password}@db.internal:5432/app\nredis:\n  password: '${quoted}'`;
  result.content = typeof result.content === 'string' ? `${result.content}\n${output}` : [...(result.content as Json[]), { type: 'text', text: output }];
  (first(lines.flatMap((line) => blocks(line)), (block) => block.type === 'tool_use', 'tool call').input as Json).url = `https://staging.example.com/login?next=%2Fhome&pw=${encoded}`;
  const assistantText = first(lines, (line) => line.type === 'assistant' && blocks(line).some((block) => block.type === 'text'), 'assistant text');
  appendText(first(blocks(assistantText), (block) => block.type === 'text', 'text block'), `\n\nThe header was \`echo ${basic} | base64 -d\`.`);
  blocks(assistantText).unshift({ type: 'thinking', thinking: `The cache config reads {"cache": {"pass": "${escaped}"}} so it is the same.`, signature: 'c2lnbmF0dXJl' });
  lines.push({ type: 'ai-title', aiTitle: `Rotate ${password} on staging`, sessionId: prompt.sessionId });
  writeLines(join(home, '.claude', 'projects', '-home-alice-app-everywhere', `${derivedUuid(basename(realClaude, '.jsonl'), salt)}.jsonl`), lines);
  return { source: 'claude-code', place: 'everywhere', marker, kinds };
}

/** Plants the corpus in one place of a copy of a real pi transcript. */
function plantPi(home: string, place: PlantedPlace, seed: number): PlantedTranscript {
  const kinds = plantedCorpus(seed);
  const planted = corpusText(kinds);
  const marker = markerParagraph(`pi ${place}`, seed);
  const lines = copyLines(realPi, `pi-${place}`);
  const messages = lines.filter((line) => line.type === 'message');
  const prompt = first(messages, (line) => isRole(line, 'user'), 'user prompt');
  appendText(first(blocks(prompt), (block) => block.type === 'text', 'prompt text'), `\n\n${place === 'user-prompt' ? `${marker}\n\n${planted}` : marker}`);
  const assistant = first(messages, (line) => isRole(line, 'assistant') && blocks(line).some((block) => block.type === 'text'), 'assistant text');
  switch (place) {
    case 'tool-arguments':
      (first(blocks(assistant), (block) => block.type === 'toolCall', 'tool call').arguments as Json).description = planted;
      break;
    case 'tool-output':
      appendText(first(blocks(first(messages, (line) => isRole(line, 'toolResult'), 'tool result')), (block) => block.type === 'text', 'tool result text'), `\n${planted}`);
      break;
    case 'assistant-text':
      appendText(first(blocks(assistant), (block) => block.type === 'text', 'text block'), `\n\n${planted}`);
      break;
    case 'thinking':
      blocks(assistant).unshift({ type: 'thinking', thinking: planted });
      break;
    case 'session-title': {
      const last = lines.at(-1)!;
      lines.push({ type: 'session_info', id: 'c0ffee01', parentId: last.id, timestamp: last.timestamp, name: planted });
      break;
    }
    case 'user-prompt':
    case 'tool-use-result':
    case 'subagent':
    case 'everywhere':
      break;
  }
  const header = lines[0]!;
  const file = join(home, '.pi', 'agent', 'sessions', `--home-alice-app-${place}--`, `2026-11-24T04-07-47-845Z_${String(header.id)}.jsonl`);
  writeLines(file, lines);
  return { source: 'pi', place, marker, kinds };
}

/**
 * Writes copies of real Claude Code and pi transcripts under `home` (its `.claude` and `.pi`),
 * each with the planted corpus (its own values) in one place, plus one Claude copy where a
 * secret found in one place is repeated, bare or encoded, in the others.
 */
export function writePlantedHome(home: string): PlantedTranscript[] {
  const planted: PlantedTranscript[] = [];
  let seed = 100;
  for (const place of claudePlaces) planted.push(place === 'everywhere' ? plantRepeated(home, (seed += 1)) : plantClaude(home, place, (seed += 1)));
  for (const place of piPlaces) planted.push(plantPi(home, place, (seed += 1)));
  return planted;
}
