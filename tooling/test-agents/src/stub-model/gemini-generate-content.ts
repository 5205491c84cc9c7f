import { type ServerResponse } from 'node:http';
import { openAiUnderstoodUsage, type AnswerRecord } from './answer.js';
import { randomId } from './ids.js';
import { chunks, sendJson, startEventStream, writeEvent } from './sse.js';
import { type ScriptedTurn, type StubRequest } from './types.js';

type Part = { text: string; thought?: true } | { functionCall: { id: string; name: string; args: Record<string, unknown> } };

/** Gemini finish reasons: a turn with calls still ends with `STOP` (the calls say the rest). */
function finishReason(turn: ScriptedTurn): string {
  return turn.stopReason === 'max_tokens' ? 'MAX_TOKENS' : 'STOP';
}

/**
 * Answers `POST /v1beta/models/<model>:generateContent` and `:streamGenerateContent?alt=sse`
 * (Google's Gemini API): thinking goes out as a `thought: true` text part, calls as
 * `functionCall` parts with ids. Usage: `promptTokenCount` = input + cache read + cache write,
 * `cachedContentTokenCount` = cache read (Gemini has no cache-write count, like OpenAI).
 */
export function answerGemini(request: StubRequest, turn: ScriptedTurn, response: ServerResponse): AnswerRecord {
  const responseId = randomId('gresp_');
  const calls = (turn.toolCalls ?? []).map((call) => ({ id: randomId('call_'), call }));
  const prompt = turn.usage.input + turn.usage.cacheRead + turn.usage.cacheWrite;
  const wireUsage = {
    promptTokenCount: prompt,
    candidatesTokenCount: turn.usage.output,
    totalTokenCount: prompt + turn.usage.output,
    cachedContentTokenCount: turn.usage.cacheRead,
    thoughtsTokenCount: 0,
  };
  const modelVersion = request.model ?? 'gemini-2.5-pro';
  const parts: Part[] = [];
  if (turn.thinking != null) parts.push({ text: turn.thinking, thought: true });
  if (turn.text != null) parts.push({ text: turn.text });
  for (const { id, call } of calls) parts.push({ functionCall: { id, name: call.name, args: call.input } });
  const candidate = (content: Part[], finish?: string): Record<string, unknown> => ({
    content: { role: 'model', parts: content },
    index: 0,
    ...(finish == null ? {} : { finishReason: finish }),
  });
  if (request.stream) {
    startEventStream(response);
    const send = (content: Part[], last = false): void =>
      writeEvent(response, {
        candidates: [candidate(content, last ? finishReason(turn) : undefined)],
        ...(last ? { usageMetadata: wireUsage } : {}),
        modelVersion,
        responseId,
      });
    // The last event carries the finish reason and usage together with the last parts, as Gemini does.
    const events: Part[][] = [
      // Gemini streams a thought summary as whole parts (`**Subject**\n\ndescription`), never mid-word.
      ...(turn.thinking == null ? [] : [[{ text: turn.thinking, thought: true } as Part]]),
      ...(turn.text == null ? [] : chunks(turn.text).map((part): Part[] => [{ text: part }])),
    ];
    const callParts = parts.filter((part) => 'functionCall' in part);
    if (callParts.length > 0 || events.length === 0) events.push(callParts.length > 0 ? callParts : [{ text: '' }]);
    events.forEach((content, index) => send(content, index === events.length - 1));
    response.end();
  } else {
    sendJson(response, 200, { candidates: [candidate(parts, finishReason(turn))], usageMetadata: wireUsage, modelVersion, responseId });
  }
  return {
    api: 'gemini-generate-content',
    messageId: responseId,
    toolCallIds: calls.map(({ id }) => id),
    stopReason: finishReason(turn),
    usage: openAiUnderstoodUsage(turn.usage),
    wireUsage,
  };
}
