import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type AnswerRecord } from './answer.js';
import { answerAnthropicMessages } from './anthropic-messages.js';
import { answerGemini } from './gemini-generate-content.js';
import { answerOpenAiCompletions } from './openai-completions.js';
import { answerOpenAiResponses } from './openai-responses.js';
import { parseStubRequest } from './parse-request.js';
import { defaultSideResponder, isHarnessSideRequest } from './side-requests.js';
import { sendJson } from './sse.js';
import { type RecordedRequest, type ScriptedTurn, type ServedResponse, type StubApi, type StubRequest } from './types.js';

/** Options of {@link startStubModel}. */
export interface StubModelOptions {
  /** Main turns, served in order (see {@link ScriptedTurn.match}), one per main model request. */
  script: ScriptedTurn[];
  /**
   * Decides which requests are side requests, answered by `sideResponder` without consuming the
   * script. Default {@link isHarnessSideRequest} (no tools declared, `max_tokens` ≤ 1, or `Warmup`);
   * `false` treats every model request as a main one.
   */
  isSideRequest?: ((request: StubRequest) => boolean) | false;
  /** Answers side requests. Default {@link defaultSideResponder}. */
  sideResponder?: (request: StubRequest) => ScriptedTurn;
  /** Served once the script is exhausted. Default: the text `done` with small usage. */
  fallbackTurn?: ScriptedTurn;
  /** Model ids listed by `GET /v1/models`. */
  modelIds?: string[];
}

/** A running stub model; see {@link startStubModel}. */
export interface StubModel {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Base URL for Anthropic clients (`ANTHROPIC_BASE_URL`); they append `/v1/messages`. */
  anthropicBaseUrl: string;
  /** Base URL for OpenAI clients; they append `/chat/completions` or `/responses`. */
  openAiBaseUrl: string;
  /** Every model answer sent, main and side, in order. */
  served: ServedResponse[];
  /** Every HTTP request received, in order. */
  requests: RecordedRequest[];
  /** Answers to main requests only (side answers left out), including the fallback ones. */
  mainServed(): ServedResponse[];
  /** Main-script turns not served yet. */
  unservedTurns(): ScriptedTurn[];
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/** The default fallback turn: what the stub says once the script is exhausted. */
export const doneTurn: ScriptedTurn = { text: 'done', usage: { input: 10, output: 2, cacheRead: 0, cacheWrite: 0 } };

const defaultModelIds = ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'stub-model'];

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}

function answer(api: StubApi, request: StubRequest, turn: ScriptedTurn, response: ServerResponse): AnswerRecord {
  switch (api) {
    case 'anthropic-messages':
      return answerAnthropicMessages(request, turn, response);
    case 'openai-completions':
      return answerOpenAiCompletions(request, turn, response);
    case 'openai-responses':
      return answerOpenAiResponses(request, turn, response);
    case 'gemini-generate-content':
      return answerGemini(request, turn, response);
  }
}

function answerNonModelRequest(request: StubRequest, response: ServerResponse, modelIds: string[]): void {
  if (request.path.endsWith(':countTokens')) {
    sendJson(response, 200, { totalTokens: Math.max(1, Math.ceil(JSON.stringify(request.body ?? '').length / 4)) });
    return;
  }
  if (request.path.endsWith('/count_tokens')) {
    sendJson(response, 200, { input_tokens: Math.max(1, Math.ceil(JSON.stringify(request.body ?? '').length / 4)) });
    return;
  }
  if (request.method === 'GET' && request.path.endsWith('/models')) {
    const created = Math.floor(Date.now() / 1000);
    const data = modelIds.map((id) => ({
      id,
      object: 'model',
      type: 'model',
      created,
      created_at: new Date(created * 1000).toISOString(),
      owned_by: 'forge-stub',
      display_name: id,
    }));
    sendJson(response, 200, { object: 'list', data, has_more: false, first_id: modelIds[0], last_id: modelIds.at(-1) });
    return;
  }
  // Anything else an agent probes at start (profile, settings, health) gets a harmless empty object.
  sendJson(response, 200, {});
}

/**
 * Starts a scripted model on 127.0.0.1 (random port) speaking the Anthropic Messages API
 * (`POST /v1/messages`, streamed and not), OpenAI Chat Completions (`POST /v1/chat/completions`)
 * the OpenAI Responses API (`POST /v1/responses`) and the Gemini API (`POST /v1beta/models/<m>:generateContent`,
 * `:streamGenerateContent`), plus `count_tokens`, `:countTokens` and `GET /v1/models`.
 * Each main request gets the next scripted turn; side requests (titles, quota checks, Warmup)
 * are answered by the side responder without consuming the script.
 */
export async function startStubModel(options: StubModelOptions): Promise<StubModel> {
  const served: ServedResponse[] = [];
  const requests: RecordedRequest[] = [];
  const script = options.script;
  const used = new Set<number>();
  const isSide = options.isSideRequest === false ? () => false : (options.isSideRequest ?? isHarnessSideRequest);
  const sideResponder = options.sideResponder ?? defaultSideResponder;
  const fallbackTurn = options.fallbackTurn ?? doneTurn;
  const modelIds = options.modelIds ?? defaultModelIds;

  const nextTurn = (request: StubRequest): { turn: ScriptedTurn; scriptIndex: number | undefined } => {
    const scriptIndex = script.findIndex((turn, index) => !used.has(index) && (turn.match == null || turn.match(request)));
    if (scriptIndex === -1) return { turn: fallbackTurn, scriptIndex: undefined };
    used.add(scriptIndex);
    return { turn: script[scriptIndex] as ScriptedTurn, scriptIndex };
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const rawBody = await readBody(incoming);
    const request = parseStubRequest(incoming.method ?? 'GET', incoming.url ?? '/', incoming.headers, rawBody);
    const api = request.api;
    const side = api != null && isSide(request);
    const recorded: RecordedRequest = { ...request, index: requests.length, side, servedIndex: undefined };
    requests.push(recorded);
    if (api == null) {
      answerNonModelRequest(request, response, modelIds);
      return;
    }
    const { turn, scriptIndex } = side ? { turn: sideResponder(request), scriptIndex: undefined } : nextTurn(request);
    const record = answer(api, request, turn, response);
    recorded.servedIndex = served.length;
    served.push({
      index: served.length,
      scriptIndex,
      side,
      fallback: !side && scriptIndex == null,
      api: record.api,
      model: request.model,
      stream: request.stream,
      messageId: record.messageId,
      turn,
      toolCallIds: record.toolCallIds,
      stopReason: record.stopReason,
      usage: record.usage,
      wireUsage: record.wireUsage,
      requestIndex: recorded.index,
    });
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 500, { type: 'error', error: { type: 'api_error', message: `stub model failed: ${String(error)}` } });
      } else {
        response.end();
      }
    });
  });
  // Agents keep connections alive; close() must not wait for them.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    anthropicBaseUrl: url,
    openAiBaseUrl: `${url}/v1`,
    served,
    requests,
    mainServed: () => served.filter((entry) => !entry.side),
    unservedTurns: () => script.filter((_turn, index) => !used.has(index)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error == null ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

/** Runs `body` with a stub serving `script`, and closes the stub whatever happens. */
export async function withStubModel<TResult>({ script }: { script: StubModelOptions['script'] }, body: (stub: StubModel) => Promise<TResult>): Promise<TResult> {
  const stub = await startStubModel({ script });
  try {
    return await body(stub);
  } finally {
    await stub.close();
  }
}
