import { type ServerResponse } from 'node:http';
import { anthropicStopReason, type AnswerRecord } from './answer.js';
import { randomId } from './ids.js';
import { chunks, sendJson, startEventStream, writeEvent } from './sse.js';
import { type ScriptedTurn, type StubRequest } from './types.js';

type ContentBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

function contentBlocks(turn: ScriptedTurn): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  if (turn.thinking != null) {
    blocks.push({ type: 'thinking', thinking: turn.thinking, signature: randomId('sig', 64) });
  }
  if (turn.text != null) blocks.push({ type: 'text', text: turn.text });
  for (const call of turn.toolCalls ?? []) {
    blocks.push({ type: 'tool_use', id: randomId('toolu_01'), name: call.name, input: call.input });
  }
  return blocks;
}

function emptyStartBlock(block: ContentBlock): Record<string, unknown> {
  switch (block.type) {
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'text':
      return { type: 'text', text: '' };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} };
  }
}

function streamBlock(response: ServerResponse, index: number, block: ContentBlock): void {
  writeEvent(response, { type: 'content_block_start', index, content_block: emptyStartBlock(block) }, 'content_block_start');
  const delta = (payload: Record<string, unknown>): void =>
    writeEvent(response, { type: 'content_block_delta', index, delta: payload }, 'content_block_delta');
  switch (block.type) {
    case 'thinking':
      for (const part of chunks(block.thinking)) delta({ type: 'thinking_delta', thinking: part });
      delta({ type: 'signature_delta', signature: block.signature });
      break;
    case 'text':
      for (const part of chunks(block.text)) delta({ type: 'text_delta', text: part });
      break;
    case 'tool_use':
      for (const part of chunks(JSON.stringify(block.input))) delta({ type: 'input_json_delta', partial_json: part });
      break;
  }
  writeEvent(response, { type: 'content_block_stop', index }, 'content_block_stop');
}

/** Answers `POST /v1/messages` with one scripted turn, streamed (SSE) or as one JSON message. */
export function answerAnthropicMessages(request: StubRequest, turn: ScriptedTurn, response: ServerResponse): AnswerRecord {
  const messageId = randomId('msg_01');
  const blocks = contentBlocks(turn);
  const stopReason = anthropicStopReason(turn);
  const wireUsage = {
    input_tokens: turn.usage.input,
    cache_creation_input_tokens: turn.usage.cacheWrite,
    cache_read_input_tokens: turn.usage.cacheRead,
    // The real API splits cache writes by TTL; Claude Code stores zeros here when it is absent,
    // and ccusage then reads the zeros instead of cache_creation_input_tokens.
    cache_creation: { ephemeral_5m_input_tokens: turn.usage.cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: turn.usage.output,
    service_tier: 'standard',
  };
  const message = { id: messageId, type: 'message', role: 'assistant', model: request.model ?? 'stub-model' };
  if (request.stream) {
    startEventStream(response);
    // Like the real API: message_start carries the input side and a placeholder output count.
    writeEvent(
      response,
      {
        type: 'message_start',
        message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...wireUsage, output_tokens: 1 } },
      },
      'message_start',
    );
    writeEvent(response, { type: 'ping' }, 'ping');
    blocks.forEach((block, index) => streamBlock(response, index, block));
    writeEvent(
      response,
      { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: wireUsage },
      'message_delta',
    );
    writeEvent(response, { type: 'message_stop' }, 'message_stop');
    response.end();
  } else {
    sendJson(response, 200, { ...message, content: blocks, stop_reason: stopReason, stop_sequence: null, usage: wireUsage });
  }
  return {
    api: 'anthropic-messages',
    messageId,
    toolCallIds: blocks.flatMap((block) => (block.type === 'tool_use' ? [block.id] : [])),
    stopReason,
    usage: { ...turn.usage },
    wireUsage,
  };
}
