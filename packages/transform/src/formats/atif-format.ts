import { type Usage } from '@forge/schema';
import { type PreparedConversation, type PreparedToolCall, type PreparedTurn } from '../conversation/prepared-conversation.js';
import { type RowLabels } from '../session/process-session.js';
import { type DatasetFormat, type FormatSessionInput, type NestedRow } from './dataset-format.js';

/**
 * ATIF, the Agent Trajectory Interchange Format of Harbor RFC 0001, version 1.7 (reference:
 * docs/formats/atif.md). Only the fields forge writes are typed here.
 */
export const atifSchemaVersion = 'ATIF-v1.7';

export interface AtifToolCall {
  tool_call_id: string;
  function_name: string;
  arguments: Record<string, unknown>;
}

export interface AtifObservationResult {
  source_call_id: string;
  content: string;
  subagent_trajectory_ref?: Array<{ trajectory_id: string; session_id: string }>;
  extra?: { is_error: true };
}

export interface AtifMetrics {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  cost_usd?: number;
  extra: { cache_creation_input_tokens: number };
}

export interface AtifStep {
  step_id: number;
  timestamp?: string;
  source: 'system' | 'user' | 'agent';
  model_name?: string;
  message: string;
  reasoning_content?: string;
  tool_calls?: AtifToolCall[];
  observation?: { results: AtifObservationResult[] };
  metrics?: AtifMetrics;
  extra?: { forge: { train: boolean; hollow_reasoning?: true } };
}

export interface AtifTrajectory {
  schema_version: typeof atifSchemaVersion;
  session_id: string;
  trajectory_id: string;
  agent: { name: string; version: string; model_name?: string; tool_definitions?: PreparedConversation['tools'] };
  steps: AtifStep[];
  final_metrics: {
    total_prompt_tokens: number;
    total_completion_tokens: number;
    total_cached_tokens: number;
    total_cost_usd?: number;
    total_steps: number;
    extra: { total_cache_creation_input_tokens: number };
  };
  subagent_trajectories?: AtifTrajectory[];
  extra: { forge: Record<string, unknown> };
}

/** ATIF's prompt tokens include cached ones (RFC 0001 MetricsSchema); forge's usage keeps them apart (Anthropic names). */
function metrics(usage: Usage): AtifMetrics {
  return {
    prompt_tokens: usage.input + usage.cacheRead + usage.cacheWrite,
    completion_tokens: usage.output,
    cached_tokens: usage.cacheRead,
    // Only what the transcript recorded: an unknown cost is left out, never 0.
    ...(usage.cost == null ? {} : { cost_usd: usage.cost }),
    extra: { cache_creation_input_tokens: usage.cacheWrite },
  };
}

/** ATIF arguments must be a JSON object: other JSON values are wrapped as forge wraps unparsable strings. */
function argumentsObject(call: PreparedToolCall): Record<string, unknown> {
  return call.arguments != null && typeof call.arguments === 'object' && !Array.isArray(call.arguments) ? (call.arguments as Record<string, unknown>) : { raw_arguments: call.argumentsJson };
}

function agentStep(turn: PreparedTurn, stepId: number): AtifStep {
  const reasoning = turn.reasoning.state === 'present' && (turn.reasoning.text ?? '') !== '' ? turn.reasoning.text : undefined;
  return {
    step_id: stepId,
    ...(turn.timestamp == null ? {} : { timestamp: turn.timestamp }),
    source: 'agent',
    ...(turn.model == null ? {} : { model_name: turn.model }),
    message: turn.text,
    ...(reasoning == null ? {} : { reasoning_content: reasoning }),
    ...(turn.toolCalls.length === 0
      ? {}
      : { tool_calls: turn.toolCalls.map((call) => ({ tool_call_id: call.id, function_name: call.name, arguments: argumentsObject(call) })) }),
    ...(turn.usage == null ? {} : { metrics: metrics(turn.usage) }),
    extra: { forge: { train: turn.train, ...(turn.reasoning.state === 'hollow' ? { hollow_reasoning: true as const } : {}) } },
  };
}

/**
 * One session as one ATIF trajectory: a system step for the system prompt, a user step per
 * prompt, an agent step per model turn with its tool calls, the results of those calls as the
 * step's observation, per-step metrics from the recorded usage, and forge's labels under
 * `extra.forge`. Built from the redacted, prepared conversation like every other format.
 */
export function toAtifTrajectory({ conversation, session, labels }: Pick<FormatSessionInput, 'conversation' | 'session' | 'labels'>): AtifTrajectory {
  const steps: AtifStep[] = [];
  if (conversation.system !== '') steps.push({ step_id: 1, ...(session.startedAt === '' ? {} : { timestamp: session.startedAt }), source: 'system', message: conversation.system });
  let openStep: AtifStep | undefined;
  for (const turn of conversation.turns) {
    if (turn.role === 'tool') {
      // Prepared conversations pair every result with a call of the assistant turn before it.
      const result: AtifObservationResult = { source_call_id: turn.toolResult?.toolCallId ?? '', content: turn.text, ...(turn.toolResult?.isError === true ? { extra: { is_error: true as const } } : {}) };
      if (openStep != null) (openStep.observation ??= { results: [] }).results.push(result);
      continue;
    }
    if (turn.role === 'user') {
      openStep = undefined;
      steps.push({ step_id: steps.length + 1, ...(turn.timestamp == null ? {} : { timestamp: turn.timestamp }), source: 'user', message: turn.text });
      continue;
    }
    openStep = agentStep(turn, steps.length + 1);
    steps.push(openStep);
  }
  const usage = session.usage;
  return {
    schema_version: atifSchemaVersion,
    session_id: session.id,
    trajectory_id: `${session.source}:${session.id}`,
    agent: {
      name: session.source,
      version: session.sourceVersion ?? 'unknown',
      ...(session.models[0] == null ? {} : { model_name: session.models[0] }),
      ...(conversation.tools.length === 0 ? {} : { tool_definitions: conversation.tools }),
    },
    steps,
    final_metrics: {
      total_prompt_tokens: usage.input + usage.cacheRead + usage.cacheWrite,
      total_completion_tokens: usage.output,
      total_cached_tokens: usage.cacheRead,
      ...(usage.cost == null ? {} : { total_cost_usd: usage.cost }),
      total_steps: steps.length,
      extra: { total_cache_creation_input_tokens: usage.cacheWrite },
    },
    extra: {
      forge: {
        source: session.source,
        role: labels.role,
        beads: labels.beads,
        score: labels.score,
        models: session.models,
        started_at: session.startedAt,
        ended_at: session.endedAt,
        is_subagent: session.isSubagent,
        ...(session.agent?.type == null ? {} : { subagent_type: session.agent.type }),
        ...(session.parent == null ? {} : { parent_session_id: session.parent.sessionId }),
      },
    },
  };
}

/**
 * The parent's trajectory with its subagents' trajectories in `subagent_trajectories` (v1.7's
 * single-file form), each referenced by `trajectory_id` from the observation result of the tool
 * call that started it (when the subagent names that call and the parent kept it).
 */
export function nestAtifSubagents(parentLine: string, children: readonly NestedRow[]): string {
  const parent = JSON.parse(parentLine) as AtifTrajectory;
  const subagents = children.map((child) => ({ trajectory: JSON.parse(child.line) as AtifTrajectory, toolCallId: child.toolCallId }));
  const results = new Map(parent.steps.flatMap((step) => step.observation?.results ?? []).map((result) => [result.source_call_id, result]));
  for (const { trajectory, toolCallId } of subagents) {
    const result = toolCallId == null ? undefined : results.get(toolCallId);
    if (result != null) (result.subagent_trajectory_ref ??= []).push({ trajectory_id: trajectory.trajectory_id, session_id: trajectory.session_id });
  }
  parent.subagent_trajectories = [...(parent.subagent_trajectories ?? []), ...subagents.map(({ trajectory }) => trajectory)];
  return JSON.stringify(parent);
}

/** The trajectory with the merge's labels (a late score, the beads worked) in `extra.forge`, in place: the same bytes as built with them. */
export function relabelAtifTrajectory(line: string, labels: RowLabels): string {
  const trajectory = JSON.parse(line) as AtifTrajectory;
  const forge = trajectory.extra.forge;
  if (forge.score === labels.score && JSON.stringify(forge.beads) === JSON.stringify(labels.beads)) return line;
  forge.role = labels.role;
  forge.beads = labels.beads;
  forge.score = labels.score;
  return JSON.stringify(trajectory);
}

/** ATIF v1.7 trajectories (Harbor, NeMo Relay): one row per session, subagents nested in their parent's row. */
export const atifFormat: DatasetFormat<'atif'> = {
  name: 'atif',
  // Whole sessions with free-form argument objects: asked for by name, not written by default.
  byDefault: false,
  *sessionRows(input) {
    yield { line: JSON.stringify(toAtifTrajectory(input)) };
  },
  notes: () => [
    'one ATIF-v1.7 trajectory per session (the whole session: trajectories are not cut to the token budget); a subagent session is embedded in its parent\'s subagent_trajectories and referenced from the result of the tool call that started it',
    'prompt_tokens include cached and cache-creation tokens (ATIF counts every input token); cache creation is in metrics.extra; a response the source split over several records carries its first record\'s usage; cost_usd and total_cost_usd are the costs the transcript recorded (pi, omp, OpenCode), absent where it recorded none (Claude Code)',
    'forge labels (source, role, beads, score, models, times) are under extra.forge; steps carry extra.forge.train (false for context, orchestration and hollow-reasoning turns)',
    'tool_calls[].arguments and agent.tool_definitions are JSON objects as ATIF requires, so their struct differs per tool: read the JSONL with json.loads or Harbor\'s models rather than as one Arrow table',
  ],
  sidecars: () => [],
  nestChildren: nestAtifSubagents,
  relabel: relabelAtifTrajectory,
};
