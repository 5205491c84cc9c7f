import { type IncomingHttpHeaders } from 'node:http';
import { type StubApi, type StubRequest } from './types.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value != null && !Array.isArray(value);
}

/** Text of a message content that is a string or a list of blocks (tool results are skipped). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter(isObject)
    .filter((block) => block.type === 'text' || block.type === 'input_text')
    .map((block) => (typeof block.text === 'string' ? block.text : ''))
    .join('\n');
}

function apiOfPath(method: string, path: string): StubApi | undefined {
  if (method !== 'POST') return undefined;
  // Gemini: `/v1beta/models/<model>:generateContent` and `:streamGenerateContent` (countTokens is not a model call).
  if (/:(?:stream)?generateContent$/iu.test(path)) return 'gemini-generate-content';
  if (path.endsWith('/messages')) return 'anthropic-messages';
  if (path.endsWith('/chat/completions')) return 'openai-completions';
  if (path.endsWith('/responses')) return 'openai-responses';
  return undefined;
}

/** Text parts of a Gemini `Content` (`{ role, parts: [{ text }, { functionCall }, { functionResponse }] }`). */
function geminiText(content: unknown): string {
  if (!isObject(content) || !Array.isArray(content.parts)) return '';
  return content.parts
    .filter(isObject)
    .filter((part) => typeof part.text === 'string' && part.thought !== true)
    .map((part) => part.text as string)
    .join('\n');
}

function systemTextOf(api: StubApi | undefined, body: JsonObject): string {
  if (api === 'anthropic-messages') return contentText(body.system);
  if (api === 'gemini-generate-content') return geminiText(body.systemInstruction ?? body.system_instruction);
  if (api === 'openai-responses' && typeof body.instructions === 'string') return body.instructions;
  const messages = Array.isArray(body.messages) ? body.messages : Array.isArray(body.input) ? body.input : [];
  return messages
    .filter(isObject)
    .filter((message) => message.role === 'system' || message.role === 'developer')
    .map((message) => contentText(message.content))
    .join('\n');
}

function lastUserTextOf(body: JsonObject): string {
  if (Array.isArray(body.contents)) {
    for (let index = body.contents.length - 1; index >= 0; index -= 1) {
      const content: unknown = body.contents[index];
      if (!isObject(content) || content.role !== 'user') continue;
      const text = geminiText(content);
      if (text !== '') return text;
    }
    return '';
  }
  const messages = Array.isArray(body.messages) ? body.messages : Array.isArray(body.input) ? body.input : [];
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message: unknown = messages[index];
    if (!isObject(message) || message.role !== 'user') continue;
    const text = contentText(message.content);
    // A user message that carries only tool results is not a prompt: keep looking back.
    if (text !== '') return text;
  }
  return '';
}

function toolNamesOf(body: JsonObject): string[] {
  if (!Array.isArray(body.tools)) return [];
  // Gemini: `tools: [{ functionDeclarations: [{ name }] }]`.
  if (body.tools.some((tool) => isObject(tool) && Array.isArray(tool.functionDeclarations))) {
    return body.tools
      .filter(isObject)
      .flatMap((tool) => (Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations.filter(isObject) : []))
      .map((declaration) => (typeof declaration.name === 'string' ? declaration.name : ''));
  }
  return body.tools.filter(isObject).map((tool) => {
    if (typeof tool.name === 'string') return tool.name;
    const fn = tool.function;
    return isObject(fn) && typeof fn.name === 'string' ? fn.name : '';
  });
}

function maxTokensOf(body: JsonObject): number | undefined {
  for (const key of ['max_tokens', 'max_completion_tokens', 'max_output_tokens']) {
    const value = body[key];
    if (typeof value === 'number') return value;
  }
  const config = body.generationConfig;
  return isObject(config) && typeof config.maxOutputTokens === 'number' ? config.maxOutputTokens : undefined;
}

/** Gemini names the model in the path: `/v1beta/models/gemini-2.5-pro:streamGenerateContent`. */
function modelOfPath(path: string): string | undefined {
  return /\/models\/([^/:]+):/u.exec(path)?.[1];
}

/** Reduces a raw HTTP request to the fields scripts match on. */
export function parseStubRequest(method: string, url: string, headers: IncomingHttpHeaders, rawBody: string): StubRequest {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
  let body: unknown;
  try {
    body = rawBody === '' ? undefined : JSON.parse(rawBody);
  } catch {
    body = rawBody;
  }
  const object = isObject(body) ? body : {};
  const api = apiOfPath(method, path.replace(/\/count_tokens$/, '/count_tokens_not_a_model_call'));
  return {
    method,
    path,
    query,
    api,
    model: typeof object.model === 'string' ? object.model : modelOfPath(path),
    stream: object.stream === true || /:streamGenerateContent$/iu.test(path),
    systemText: systemTextOf(api, object),
    lastUserText: lastUserTextOf(object),
    toolNames: toolNamesOf(object),
    maxTokens: maxTokensOf(object),
    body,
    headers: { ...headers },
  };
}
