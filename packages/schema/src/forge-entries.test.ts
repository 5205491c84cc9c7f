import { describe, expect, it } from 'vitest';
import { forgeEntryTypes, safeParseForgeAgentEntry, safeParseForgeBeadsEntry, safeParseForgeTurnEntry } from './forge-entries.js';

describe('forge session entries', () => {
  it('should accept a turn with a finished and an unfinished tool call', () => {
    const turn = {
      v: 1,
      turnIndex: 3,
      durationMs: 412,
      stopReason: 'toolUse',
      tools: [
        { toolCallId: 'toolu_1', toolName: 'bash', argumentKeys: ['command'], isError: true, durationMs: 70 },
        { toolCallId: 'toolu_2', toolName: 'write', argumentKeys: ['path', 'content'], isError: null, durationMs: null },
      ],
    };
    expect(safeParseForgeTurnEntry(turn)).toEqual({ success: true, data: turn });
  });

  it('should reject an entry of an unknown format version and a negative duration', () => {
    expect(safeParseForgeAgentEntry({ v: 2, durationMs: 1, turns: 1, toolCalls: 0, toolErrors: 0 }).success).toBe(false);
    expect(safeParseForgeTurnEntry({ v: 1, turnIndex: 0, durationMs: -1, tools: [] }).success).toBe(false);
  });

  it('should accept the beads a run closed and updated with the operations behind them', () => {
    const beads = {
      v: 1,
      closed: ['gt-k3m9p'],
      updated: ['gt-8yn'],
      operations: [
        { toolCallId: 't1', program: 'bd', command: 'update', beadIds: ['gt-8yn'], status: 'in_progress', isError: false, confirmed: true },
        { toolCallId: 't2', program: 'gt', command: 'close', beadIds: ['gt-k3m9p'], status: 'closed', reason: 'done', isError: false, confirmed: true },
      ],
    };
    expect(safeParseForgeBeadsEntry(beads)).toEqual({ success: true, data: beads });
    expect(Object.values(forgeEntryTypes)).toEqual(['forge.capture.turn', 'forge.capture.agent', 'forge.outcome.beads', 'forge.synthetic']);
  });
});
