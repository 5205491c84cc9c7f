import { type ToolDefinition } from '@forge/schema';
import { asString, isObject } from './claude-line.js';

/** What the model was offered, as an `api-request-shape` line records it (Claude Code 2.1.3xx). */
export interface RequestShape {
  systemPrompt?: string;
  tools?: ToolDefinition[];
}

/**
 * The system prompt and tool definitions of an `api-request-shape` line: `shape.system` (text
 * blocks, joined by a blank line) and `shape.tools` (Anthropic `{ name, description, input_schema }`,
 * as OpenAI-style function definitions). Entries that are not text blocks or named tools are left out.
 */
export function requestShape(line: unknown): RequestShape {
  const shape = isObject(line) && isObject(line.shape) ? line.shape : undefined;
  if (shape == null) return {};
  const recorded: RequestShape = {};
  const { system, tools } = shape;
  if (typeof system === 'string') recorded.systemPrompt = system;
  else if (Array.isArray(system)) {
    const texts = system.filter(isObject).flatMap((block) => (block.type === 'text' && typeof block.text === 'string' ? [block.text] : []));
    if (texts.length > 0) recorded.systemPrompt = texts.join('\n\n');
  }
  if (Array.isArray(tools)) {
    const definitions: ToolDefinition[] = [];
    for (const tool of tools) {
      if (!isObject(tool)) continue;
      const name = asString(tool.name);
      if (name == null || name === '') continue;
      const definition: ToolDefinition = { type: 'function', function: { name, parameters: isObject(tool.input_schema) ? tool.input_schema : {} } };
      const description = asString(tool.description);
      if (description != null) definition.function = { name, description, parameters: definition.function.parameters };
      definitions.push(definition);
    }
    if (definitions.length > 0) recorded.tools = definitions;
  }
  return recorded;
}
