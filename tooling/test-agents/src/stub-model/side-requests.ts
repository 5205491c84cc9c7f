import { type ScriptedTurn, type StubRequest } from './types.js';

/**
 * Claude Code's bookkeeping calls: titles, topic and quota checks, bash-prefix checks and the
 * `Warmup` of subagents. The agents' real turns always declare tools; these calls declare none,
 * ask for one token, or say `Warmup`.
 */
export function isHarnessSideRequest(request: StubRequest): boolean {
  if (request.api == null) return false;
  if (/(^|\n)Warmup\s*$/.test(request.lastUserText)) return true;
  if (request.maxTokens != null && request.maxTokens <= 1) return true;
  return request.toolNames.length === 0;
}

/** Usage the default side responder reports (the fixtures' `side:warmup` rows show these numbers). */
export const sideUsage = { input: 200, output: 10, cacheRead: 0, cacheWrite: 0 } as const;

/** Harmless answers to side requests: a title JSON when a title is asked for, else a short text. */
export function defaultSideResponder(request: StubRequest): ScriptedTurn {
  const prompt = `${request.systemText}\n${request.lastUserText}`.toLowerCase();
  if (prompt.includes('title')) return { text: '{"title": "Stub session"}', usage: { ...sideUsage } };
  if (prompt.includes('command prefix') || prompt.includes('policy_spec')) return { text: 'none', usage: { ...sideUsage } };
  if (prompt.includes('new conversation topic') || prompt.includes('isnewtopic')) {
    return { text: '{"isNewTopic": false, "title": null}', usage: { ...sideUsage } };
  }
  return { text: 'OK', usage: { ...sideUsage } };
}
