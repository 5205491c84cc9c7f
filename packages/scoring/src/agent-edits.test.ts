import { describe, expect, it } from 'vitest';
import { readAgentEdit } from './agent-edits.js';
import { type ToolUse } from './tool-uses.js';

function use(name: string, args: Record<string, unknown>, result: ToolUse['result'] = { index: 1, isError: false, text: 'ok' }): ToolUse {
  return { index: 0, callId: 'c', name, args, argumentsText: JSON.stringify(args), order: 0, ...(result == null ? {} : { result }) };
}

describe('readAgentEdit', () => {
  it("should read Claude Code's Edit from its structuredPatch when kept, else from old/new strings", () => {
    const metadata = { toolUseResult: { structuredPatch: [{ lines: [' keep', '-old', '+new one', '+new two'] }] } };
    expect(readAgentEdit(use('Edit', { file_path: '/w/a.ts', old_string: 'x', new_string: 'y' }, { index: 1, isError: false, text: 'ok', metadata }))?.addedLines).toEqual(['new one', 'new two']);
    expect(readAgentEdit(use('Edit', { file_path: '/w/a.ts', old_string: 'same\nold', new_string: 'same\nnew' }))).toEqual({ index: 0, path: '/w/a.ts', addedLines: ['new'] });
    expect(readAgentEdit(use('MultiEdit', { file_path: '/w/a.ts', edits: [{ old_string: 'a', new_string: 'b' }, { old_string: 'c', new_string: 'd\ne' }] }))?.addedLines).toEqual(['b', 'd', 'e']);
  });

  it('should count a Write as all its lines, less those of the file it replaced', () => {
    expect(readAgentEdit(use('Write', { file_path: '/w/n.ts', content: 'one\ntwo\n' }))?.addedLines).toEqual(['one', 'two']);
    const metadata = { toolUseResult: { type: 'update', originalFile: 'one\n', structuredPatch: [] } };
    expect(readAgentEdit(use('Write', { file_path: '/w/n.ts', content: 'one\ntwo\n' }, { index: 1, isError: false, text: 'ok', metadata }))?.addedLines).toEqual(['two']);
  });

  it("should read pi's edit in its legacy and edits[] shapes (also edits[] sent as a JSON string) and its write", () => {
    expect(readAgentEdit(use('edit', { path: 'a.ts', oldText: 'a', newText: 'b' }))?.addedLines).toEqual(['b']);
    expect(readAgentEdit(use('edit', { path: 'a.ts', edits: [{ oldText: 'a', newText: 'b' }] }))?.addedLines).toEqual(['b']);
    expect(readAgentEdit(use('edit', { path: 'a.ts', edits: JSON.stringify([{ oldText: 'a', newText: 'c' }]) }))?.addedLines).toEqual(['c']);
    expect(readAgentEdit(use('write', { path: 'b.ts', content: 'x\n' }))).toEqual({ index: 0, path: 'b.ts', addedLines: ['x'] });
  });

  it("should read Codex's apply_patch, and give nothing for failed calls and other tools", () => {
    const patch = '*** Begin Patch\n*** Add File: x.py\n+print(1)\n*** Update File: y.py\n@@\n-a\n+b\n*** End Patch';
    expect(readAgentEdit(use('apply_patch', { input: patch }))?.addedLines).toEqual(['print(1)', 'b']);
    expect(readAgentEdit(use('Edit', { file_path: '/w/a.ts', old_string: 'a', new_string: 'b' }, { index: 1, isError: true, text: 'String not found' }))).toBeUndefined();
    expect(readAgentEdit(use('Read', { file_path: '/w/a.ts' }))).toBeUndefined();
  });
});
