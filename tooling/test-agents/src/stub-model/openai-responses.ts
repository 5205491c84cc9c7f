import { type ServerResponse } from 'node:http';
import { openAiUnderstoodUsage, type AnswerRecord } from './answer.js';
import { randomId } from './ids.js';
import { chunks, sendJson, startEventStream, writeEvent } from './sse.js';
import { type ScriptedTurn, type StubRequest } from './types.js';

type OutputItem =
  | { type: 'reasoning'; id: string; summary: { type: 'summary_text'; text: string }[] }
  | { type: 'message'; id: string; role: 'assistant'; status: string; content: { type: 'output_text'; text: string; annotations: [] }[] }
  | { type: 'function_call'; id: string; call_id: string; name: string; arguments: string; status: string };

function outputItems(turn: ScriptedTurn): OutputItem[] {
  const items: OutputItem[] = [];
  if (turn.thinking != null) items.push({ type: 'reasoning', id: randomId('rs_'), summary: [{ type: 'summary_text', text: turn.thinking }] });
  if (turn.text != null) {
    items.push({
      type: 'message',
      id: randomId('msg_'),
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: turn.text, annotations: [] }],
    });
  }
  for (const call of turn.toolCalls ?? []) {
    items.push({
      type: 'function_call',
      id: randomId('fc_'),
      call_id: randomId('call_'),
      name: call.name,
      arguments: JSON.stringify(call.input),
      status: 'completed',
    });
  }
  return items;
}

/** Answers `POST /v1/responses` (OpenAI Responses API); thinking goes out as a reasoning summary. */
export function answerOpenAiResponses(request: StubRequest, turn: ScriptedTurn, response: ServerResponse): AnswerRecord {
  const responseId = randomId('resp_');
  const items = outputItems(turn);
  const model = request.model ?? 'stub-model';
  const hasCalls = items.some((item) => item.type === 'function_call');
  const wireUsage = {
    input_tokens: turn.usage.input + turn.usage.cacheRead + turn.usage.cacheWrite,
    input_tokens_details: { cached_tokens: turn.usage.cacheRead },
    output_tokens: turn.usage.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: turn.usage.input + turn.usage.cacheRead + turn.usage.cacheWrite + turn.usage.output,
  };
  const base = { id: responseId, object: 'response', created_at: Math.floor(Date.now() / 1000), model };
  const completed = { ...base, status: 'completed', output: items, usage: wireUsage };
  if (request.stream) {
    startEventStream(response);
    let sequence = 0;
    const emit = (type: string, payload: Record<string, unknown>): void => {
      writeEvent(response, { type, sequence_number: sequence, ...payload }, type);
      sequence += 1;
    };
    emit('response.created', { response: { ...base, status: 'in_progress', output: [] } });
    items.forEach((item, outputIndex) => {
      const common = { item_id: item.id, output_index: outputIndex };
      switch (item.type) {
        case 'reasoning': {
          emit('response.output_item.added', { output_index: outputIndex, item: { ...item, summary: [] } });
          const text = item.summary[0]?.text ?? '';
          emit('response.reasoning_summary_part.added', { ...common, summary_index: 0, part: { type: 'summary_text', text: '' } });
          for (const part of chunks(text)) emit('response.reasoning_summary_text.delta', { ...common, summary_index: 0, delta: part });
          emit('response.reasoning_summary_text.done', { ...common, summary_index: 0, text });
          emit('response.reasoning_summary_part.done', { ...common, summary_index: 0, part: { type: 'summary_text', text } });
          break;
        }
        case 'message': {
          emit('response.output_item.added', { output_index: outputIndex, item: { ...item, status: 'in_progress', content: [] } });
          const text = item.content[0]?.text ?? '';
          emit('response.content_part.added', { ...common, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
          for (const part of chunks(text)) emit('response.output_text.delta', { ...common, content_index: 0, delta: part });
          emit('response.output_text.done', { ...common, content_index: 0, text });
          emit('response.content_part.done', { ...common, content_index: 0, part: item.content[0] });
          break;
        }
        case 'function_call': {
          emit('response.output_item.added', { output_index: outputIndex, item: { ...item, arguments: '', status: 'in_progress' } });
          for (const part of chunks(item.arguments)) emit('response.function_call_arguments.delta', { ...common, delta: part });
          emit('response.function_call_arguments.done', { ...common, arguments: item.arguments });
          break;
        }
      }
      emit('response.output_item.done', { output_index: outputIndex, item });
    });
    emit('response.completed', { response: completed });
    response.end();
  } else {
    sendJson(response, 200, completed);
  }
  return {
    api: 'openai-responses',
    messageId: responseId,
    toolCallIds: items.flatMap((item) => (item.type === 'function_call' ? [item.call_id] : [])),
    stopReason: hasCalls ? 'tool_calls' : 'completed',
    usage: openAiUnderstoodUsage(turn.usage),
    wireUsage,
  };
}
