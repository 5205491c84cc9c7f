import { type ServerResponse } from 'node:http';
import { openAiFinishReason, openAiUnderstoodUsage, type AnswerRecord } from './answer.js';
import { randomId } from './ids.js';
import { chunks, sendJson, startEventStream, writeEvent } from './sse.js';
import { type ScriptedTurn, type StubRequest } from './types.js';

function wantsUsage(request: StubRequest): boolean {
  const body = request.body as { stream_options?: { include_usage?: unknown } } | undefined;
  return body?.stream_options?.include_usage === true;
}

/** Answers `POST /v1/chat/completions`; reasoning goes out as `reasoning_content` (DeepSeek/vLLM style). */
export function answerOpenAiCompletions(request: StubRequest, turn: ScriptedTurn, response: ServerResponse): AnswerRecord {
  const messageId = randomId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const model = request.model ?? 'stub-model';
  const finishReason = openAiFinishReason(turn);
  const calls = (turn.toolCalls ?? []).map((call) => ({ id: randomId('call_'), call }));
  const wireUsage = {
    prompt_tokens: turn.usage.input + turn.usage.cacheRead + turn.usage.cacheWrite,
    completion_tokens: turn.usage.output,
    total_tokens: turn.usage.input + turn.usage.cacheRead + turn.usage.cacheWrite + turn.usage.output,
    prompt_tokens_details: { cached_tokens: turn.usage.cacheRead },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
  if (request.stream) {
    startEventStream(response);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null): void =>
      writeEvent(response, {
        id: messageId,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
    chunk({ role: 'assistant', content: '' });
    if (turn.thinking != null) for (const part of chunks(turn.thinking)) chunk({ reasoning_content: part });
    if (turn.text != null) for (const part of chunks(turn.text)) chunk({ content: part });
    calls.forEach(({ id, call }, index) => {
      chunk({ tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }] });
      for (const part of chunks(JSON.stringify(call.input))) {
        chunk({ tool_calls: [{ index, function: { arguments: part } }] });
      }
    });
    chunk({}, finishReason);
    if (wantsUsage(request)) {
      writeEvent(response, { id: messageId, object: 'chat.completion.chunk', created, model, choices: [], usage: wireUsage });
    }
    writeEvent(response, '[DONE]');
    response.end();
  } else {
    sendJson(response, 200, {
      id: messageId,
      object: 'chat.completion',
      created,
      model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: turn.text ?? null,
            ...(turn.thinking == null ? {} : { reasoning_content: turn.thinking }),
            ...(calls.length === 0
              ? {}
              : {
                  tool_calls: calls.map(({ id, call }) => ({
                    id,
                    type: 'function',
                    function: { name: call.name, arguments: JSON.stringify(call.input) },
                  })),
                }),
          },
          finish_reason: finishReason,
        },
      ],
      usage: wireUsage,
    });
  }
  return {
    api: 'openai-completions',
    messageId,
    toolCallIds: calls.map(({ id }) => id),
    stopReason: finishReason,
    usage: openAiUnderstoodUsage(turn.usage),
    wireUsage,
  };
}
