import { type Reasoning, type SessionSource, type ToolDefinition, type Usage } from '@forge/schema';

/** A tool call with its arguments parsed, ready for every emitter. */
export interface PreparedToolCall {
  id: string;
  name: string;
  /** The parsed arguments; `{ raw_arguments: "…" }` when the model's string was not JSON. */
  arguments: unknown;
  /** `arguments` as a compact JSON string (what OpenAI-shaped formats carry). */
  argumentsJson: string;
}

/** The result of one tool call. */
export interface PreparedToolResult {
  toolCallId: string;
  toolName: string;
  isError: boolean;
  text: string;
}

/** One turn after the noise policy: what every format is emitted from. */
export interface PreparedTurn {
  role: 'user' | 'assistant' | 'tool';
  text: string;
  reasoning: Reasoning;
  toolCalls: PreparedToolCall[];
  toolResult: PreparedToolResult | undefined;
  /** Whether a trainer should learn from this turn (only assistant turns can be true). */
  train: boolean;
  /** When the source recorded the turn (its first record's time), for trajectory formats. */
  timestamp?: string;
  /** The model that answered (assistant turns). */
  model?: string;
  /** The token usage of the response (assistant turns; a run merged into one turn keeps its first record's usage). */
  usage?: Usage;
}

/**
 * A session reduced to what the emitters need: the system prompt, the tools and the turns, with
 * the noise policy applied, calls paired with their results, and per-turn training flags.
 */
export interface PreparedConversation {
  sessionId: string;
  source: SessionSource;
  system: string;
  tools: ToolDefinition[];
  turns: PreparedTurn[];
}
