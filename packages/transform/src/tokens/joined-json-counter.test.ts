import { estimateTokenCount } from 'tokenx';
import { describe, expect, it } from 'vitest';
import { createJoinedJsonCounter } from './joined-json-counter.js';

const count = (text: string): number => (text === '' ? 0 : estimateTokenCount(text));
const joined = (elements: readonly string[]): number => count(`[${elements.join(',')}]`);

// Tool definitions as sessions record them: prose ending in punctuation, enums, numbers, nested
// schemas, non-Latin text with its own punctuation, emoji, escapes.
const tools = [
  { type: 'function', function: { name: 'Bash', description: 'Executes a given bash command… (max 600000 ms).\n\nUsage:\n - Quote paths: "cd /a b".', parameters: { type: 'object', properties: { command: { type: 'string', description: 'The command to run.' }, timeout: { type: 'number', maximum: 600000 } }, required: ['command'], additionalProperties: false } } },
  { type: 'function', function: { name: 'mcp__github__create_issue', description: 'Create an issue_', parameters: { type: 'object', properties: { labels: { type: 'array', items: { type: 'string', enum: ['bug', 'p-1', '+1'] } } } } } },
  { type: 'function', function: { name: 'Übersetzen', description: 'Übersetzt Text ins Deutsche: größer, schöner.', parameters: {} } },
  { type: 'function', function: { name: '翻訳', description: '日本語のテキストを翻訳します。「例」を参照。', parameters: { type: 'object', properties: { 文: { type: 'string' } } } } },
  { type: 'function', function: { name: 'emoji', description: '🎉🎉 party 👍🏽', parameters: { type: 'object', properties: { tab: { type: 'string', default: '\t\r  ' } } } } },
  { type: 'function', function: { name: 'num', parameters: { type: 'object', properties: { n: { type: 'integer', minimum: -12345678901, multipleOf: 0.001 } } } } },
].map((tool) => JSON.stringify(tool));

/** A deterministic generator of texts rich in what tokenx cuts on: punctuation runs, spaces, digits, CJK and its punctuation. */
function randomTexts(seed: number, howMany: number): string[] {
  const alphabet = ['a', 'Zq', 'word', 'lowercase', 'ABCDEFGHIJ', '7', '123456', ' ', '  ', '\t', '\r', '.', ',', '"', '}', ']', '{', '[', ':', '-', '_', '~', '!?', '日本', '。', '「', '」', '한국', 'é', 'ß', 'ж', '🎉', '\u2028', '\u00a0'];
  let state = seed;
  const next = (limit: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % limit;
  };
  return Array.from({ length: howMany }, () => Array.from({ length: 1 + next(40) }, () => alphabet[next(alphabet.length)]!).join(''));
}

describe('createJoinedJsonCounter', () => {
  it('should count a tool list exactly as tokenx counts its JSON text, in any order and with repeats', () => {
    const countJsonArray = createJoinedJsonCounter(count);
    for (const list of [tools, [...tools].reverse(), [tools[2]!, tools[2]!, tools[0]!], [tools[5]!], []]) {
      expect(countJsonArray(list)).toBe(joined(list));
      // Counted again from the kept elements.
      expect(countJsonArray(list)).toBe(joined(list));
    }
    expect(countJsonArray(tools)).toBe(estimateTokenCount(`[${tools.join(',')}]`));
  });

  it('should count any elements without a line break exactly, whatever punctuation meets where they join', () => {
    const texts = randomTexts(7, 3000).filter((text) => !text.includes('\n'));
    const countJsonArray = createJoinedJsonCounter(count, 2_000);
    for (let start = 0; start + 6 <= texts.length; start += 3) {
      const list = texts.slice(start, start + 1 + (start % 6));
      expect(countJsonArray(list), JSON.stringify(list)).toBe(joined(list));
    }
  });

  it('should count the joined text when an element is all punctuation or holds a line break', () => {
    const countJsonArray = createJoinedJsonCounter(count);
    for (const list of [['{}', tools[0]!], [tools[1]!, '"",'], ['a\n b', '\n\n', 'x'], ['']]) expect(countJsonArray(list)).toBe(joined(list));
  });
});
