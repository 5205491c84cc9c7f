import { afterEach, describe, expect, it } from 'vitest';
import { startStubModel, type StubModel } from './start-stub-model.js';
import { type ScriptedTurn } from './types.js';

const usage = { input: 11, output: 22, cacheRead: 33, cacheWrite: 44 };
const toolTurn: ScriptedTurn = {
  thinking: 'Plan it.',
  text: 'Listing files.',
  toolCalls: [
    { name: 'bash', input: { command: 'ls -la' } },
    { name: 'read', input: { path: 'a.txt' } },
  ],
  usage,
};
const tools = [{ name: 'bash', description: 'run', input_schema: { type: 'object' } }];

interface AnthropicEvent {
  type: string;
  index: number;
  content_block: { type: string; id: string };
  delta: { type: string; text?: string; thinking?: string; signature?: string; partial_json?: string; stop_reason?: string };
  usage: Record<string, number>;
}

interface AnthropicMessage {
  id: string;
  content: { type: string; text?: string }[];
  usage: Record<string, number>;
}

interface ChatChunk {
  choices: {
    delta: {
      content?: string;
      reasoning_content?: string;
      tool_calls?: { index: number; id?: string; function: { name?: string; arguments: string } }[];
    };
    finish_reason: string | null;
  }[];
  usage?: Record<string, unknown>;
}

interface ResponsesEvent {
  type: string;
  delta?: string;
  response: { output: { type: string }[]; usage: Record<string, unknown> };
}

interface AccumulatedBlock {
  type: string;
  id: string;
  text: string;
  thinking: string;
  signature: string;
  json: string;
}

interface SseEvent {
  event: string | undefined;
  data: string;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const lines = chunk.split('\n');
      return {
        event: lines.find((line) => line.startsWith('event: '))?.slice(7),
        data: lines.find((line) => line.startsWith('data: '))?.slice(6) ?? '',
      };
    });
}

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('startStubModel', () => {
  let stub: StubModel | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });

  it('should stream an Anthropic message with thinking, text and tool_use blocks that rebuild the scripted turn', async () => {
    stub = await startStubModel({ script: [toolTurn] });
    const response = await post(`${stub.anthropicBaseUrl}/v1/messages?beta=true`, {
      model: 'claude-x',
      stream: true,
      messages: [{ role: 'user', content: 'go' }],
      tools,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await response.text());
    expect(events.every((event) => event.event === (JSON.parse(event.data) as { type: string }).type)).toBe(true);
    const payloads = events.map((event) => JSON.parse(event.data) as AnthropicEvent);
    expect(payloads[0]!.type).toBe('message_start');
    expect(payloads.at(-1)!.type).toBe('message_stop');
    const blocks: AccumulatedBlock[] = [];
    for (const payload of payloads) {
      if (payload.type === 'content_block_start') {
        blocks[payload.index] = { type: payload.content_block.type, id: payload.content_block.id, text: '', thinking: '', signature: '', json: '' };
      }
      const block = blocks[payload.index];
      if (payload.type !== 'content_block_delta' || block == null) continue;
      block.thinking += payload.delta.thinking ?? '';
      block.signature += payload.delta.signature ?? '';
      block.text += payload.delta.text ?? '';
      block.json += payload.delta.partial_json ?? '';
    }
    const messageDelta = payloads.find((payload) => payload.type === 'message_delta')!;
    expect(messageDelta.delta.stop_reason).toBe('tool_use');
    expect(messageDelta.usage).toMatchObject({ input_tokens: 11, output_tokens: 22, cache_read_input_tokens: 33, cache_creation_input_tokens: 44 });
    const served = stub.served[0]!;
    expect(served).toMatchObject({ side: false, scriptIndex: 0, usage, api: 'anthropic-messages', model: 'claude-x', stream: true });
    expect(new Set(served.toolCallIds).size).toBe(2);
    expect(served.toolCallIds.every((id) => id.startsWith('toolu_'))).toBe(true);
    expect(blocks.slice(2).map((block) => block.id)).toEqual(served.toolCallIds);
    expect(stub.requests[0]).toMatchObject({ path: '/v1/messages', query: 'beta=true', lastUserText: 'go', toolNames: ['bash'] });
  });

  it('should answer a non-streaming Anthropic request with one JSON message', async () => {
    stub = await startStubModel({ script: [toolTurn] });
    const response = await post(`${stub.url}/v1/messages`, { model: 'm', messages: [{ role: 'user', content: 'go' }], tools });
    const message = (await response.json()) as AnthropicMessage;
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use', 'tool_use']);
    expect(message.usage).toMatchObject({ input_tokens: 11, output_tokens: 22 });
    expect(message.id).toBe(stub.served[0]!.messageId);
  });

  it('should stream OpenAI chat chunks with tool_calls deltas and a final usage chunk when asked', async () => {
    stub = await startStubModel({ script: [toolTurn] });
    const response = await post(`${stub.openAiBaseUrl}/chat/completions`, {
      model: 'gpt-x',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'go' }],
      tools: [{ type: 'function', function: { name: 'bash', parameters: {} } }],
    });
    const events = parseSse(await response.text());
    expect(events.at(-1)!.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.data) as ChatChunk);
    const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta));
    expect(deltas.map((delta) => delta.content ?? '').join('')).toBe(toolTurn.text);
    expect(deltas.map((delta) => delta.reasoning_content ?? '').join('')).toBe(toolTurn.thinking);
    const argumentsByIndex = new Map<number, string>();
    for (const call of deltas.flatMap((delta) => delta.tool_calls ?? [])) {
      argumentsByIndex.set(call.index, (argumentsByIndex.get(call.index) ?? '') + call.function.arguments);
    }
    expect([...argumentsByIndex.values()].map((text) => JSON.parse(text) as unknown)).toEqual(toolTurn.toolCalls!.map((call) => call.input));
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason != null)!.choices[0]!.finish_reason).toBe('tool_calls');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 11 + 33 + 44, completion_tokens: 22, prompt_tokens_details: { cached_tokens: 33 } });
    expect(stub.served[0]).toMatchObject({ api: 'openai-completions', usage: { input: 55, output: 22, cacheRead: 33, cacheWrite: 0 } });
    expect(stub.served[0]!.toolCallIds.every((id) => id.startsWith('call_'))).toBe(true);
    expect(stub.requests[0]!.systemText).toBe('be brief');
  });

  it('should leave the usage chunk out when the client did not ask for it', async () => {
    stub = await startStubModel({ script: [{ text: 'hi', usage }] });
    const response = await post(`${stub.openAiBaseUrl}/chat/completions`, { model: 'g', stream: true, messages: [{ role: 'user', content: 'go' }] });
    const chunks = parseSse(await response.text())
      .slice(0, -1)
      .map((event) => JSON.parse(event.data) as Record<string, unknown>);
    expect(chunks.some((chunk) => chunk.usage != null)).toBe(false);
  });

  it('should stream the Responses API with reasoning, text and function calls', async () => {
    stub = await startStubModel({ script: [toolTurn] });
    const response = await post(`${stub.openAiBaseUrl}/responses`, { model: 'gpt-x', stream: true, input: [{ role: 'user', content: 'go' }], tools });
    const payloads = parseSse(await response.text()).map((event) => JSON.parse(event.data) as ResponsesEvent);
    expect(payloads[0]!.type).toBe('response.created');
    const completed = payloads.at(-1)!;
    expect(completed.type).toBe('response.completed');
    expect(completed.response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call', 'function_call']);
    expect(completed.response.usage).toMatchObject({ input_tokens: 88, output_tokens: 22, input_tokens_details: { cached_tokens: 33 } });
    expect(payloads.filter((payload) => payload.type === 'response.output_text.delta').map((payload) => payload.delta).join('')).toBe(toolTurn.text);
  });

  it('should stream the Gemini API: a thought part, text parts, function calls, then finish and usage', async () => {
    stub = await startStubModel({ script: [toolTurn] });
    const geminiTools = [{ functionDeclarations: [{ name: 'bash' }, { name: 'read' }] }];
    const body = { contents: [{ role: 'user', parts: [{ text: 'go' }] }], systemInstruction: { parts: [{ text: 'be brief' }] }, tools: geminiTools };
    const response = await post(`${stub.url}/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse`, body);
    type GeminiPart = { text?: string; thought?: boolean; functionCall?: { id: string; name: string; args: unknown } };
    type GeminiChunk = { candidates: { content: { parts: GeminiPart[] }; finishReason?: string }[]; usageMetadata?: Record<string, number> };
    const chunks = parseSse(await response.text()).map((event) => JSON.parse(event.data) as GeminiChunk);
    const parts = chunks.flatMap((chunk) => chunk.candidates[0]!.content.parts);
    expect(parts.filter((part) => part.thought === true).map((part) => part.text)).toEqual([toolTurn.thinking]);
    expect(parts.filter((part) => part.text != null && part.thought !== true).map((part) => part.text).join('')).toBe(toolTurn.text);
    const calls = parts.flatMap((part) => (part.functionCall == null ? [] : [part.functionCall]));
    expect(calls.map((call) => [call.name, call.args])).toEqual(toolTurn.toolCalls!.map((call) => [call.name, call.input]));
    expect(chunks.at(-1)).toMatchObject({ candidates: [{ finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 88, candidatesTokenCount: 22, cachedContentTokenCount: 33 } });
    expect(stub.served[0]).toMatchObject({ api: 'gemini-generate-content', model: 'gemini-2.5-pro', stream: true, toolCallIds: calls.map((call) => call.id), usage: { input: 55, output: 22, cacheRead: 33, cacheWrite: 0 } });
    expect(stub.requests[0]).toMatchObject({ systemText: 'be brief', lastUserText: 'go', toolNames: ['bash', 'read'] });
    const counted = await post(`${stub.url}/v1beta/models/gemini-2.5-pro:countTokens`, body);
    expect(await counted.json()).toMatchObject({ totalTokens: expect.any(Number) as number });
  });

  it('should answer side requests without consuming the script and fall back to done when it runs out', async () => {
    stub = await startStubModel({ script: [{ text: 'main answer', usage }] });
    const ask = async (body: Record<string, unknown>): Promise<AnthropicMessage> =>
      (await (await post(`${stub!.url}/v1/messages`, { model: 'm', ...body })).json()) as AnthropicMessage;
    const warmup = await ask({ messages: [{ role: 'user', content: 'Warmup' }], tools });
    const title = await ask({ system: 'Generate a title', messages: [{ role: 'user', content: 'hello' }] });
    const main = await ask({ messages: [{ role: 'user', content: 'hello' }], tools });
    const extra = await ask({ messages: [{ role: 'user', content: 'more' }], tools });
    expect(main.content[0]!.text).toBe('main answer');
    expect(extra.content[0]!.text).toBe('done');
    expect(warmup.content[0]!.text).toBe('OK');
    expect(title.content[0]!.text).toContain('title');
    expect(stub.served.map((served) => [served.side, served.fallback, served.scriptIndex])).toEqual([
      [true, false, undefined],
      [true, false, undefined],
      [false, false, 0],
      [false, true, undefined],
    ]);
    expect(stub.mainServed()).toHaveLength(2);
    expect(stub.unservedTurns()).toEqual([]);
  });

  it('should serve the first unserved turn whose match accepts the request', async () => {
    const sub: ScriptedTurn = { text: 'sub', usage, match: (request) => request.lastUserText.includes('SUB') };
    const main: ScriptedTurn = { text: 'main', usage, match: (request) => !request.lastUserText.includes('SUB') };
    stub = await startStubModel({ script: [main, sub], isSideRequest: false });
    const ask = async (text: string): Promise<string> => {
      const message = (await (await post(`${stub!.url}/v1/messages`, { model: 'm', messages: [{ role: 'user', content: text }] })).json()) as AnthropicMessage;
      return message.content[0]!.text ?? '';
    };
    expect(await ask('SUB task')).toBe('sub');
    expect(await ask('main task')).toBe('main');
  });

  it('should answer count_tokens, list models and record every other request harmlessly', async () => {
    stub = await startStubModel({ script: [], modelIds: ['a', 'b'] });
    const count = (await (await post(`${stub.url}/v1/messages/count_tokens`, { model: 'm', messages: [] })).json()) as Record<string, number>;
    expect(count.input_tokens).toBeGreaterThan(0);
    const models = (await (await fetch(`${stub.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((model) => model.id)).toEqual(['a', 'b']);
    const other = await fetch(`${stub.url}/api/hello`);
    expect(other.status).toBe(200);
    expect(stub.requests.map((request) => [request.method, request.path, request.api])).toEqual([
      ['POST', '/v1/messages/count_tokens', undefined],
      ['GET', '/v1/models', undefined],
      ['GET', '/api/hello', undefined],
    ]);
    expect(stub.served).toEqual([]);
  });
});
