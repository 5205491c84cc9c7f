import { readFileSync } from 'node:fs';
import { type Session } from '@forge/schema';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { createDatasetBuilder } from '../dataset-builder.js';
import { fixturePath, loadSessionFixture } from '../test-support/fixtures.js';
import { ordinaryCorpora } from '../test-support/ordinary-sessions.js';
import { plantedSecretValues } from '../test-support/planted-secrets.js';
import { type AtifTrajectory } from './atif-format.js';

const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(fixturePath('atif/atif-v1.7.schema.json'), 'utf8')));

/** The RFC's rules across fields, which JSON Schema cannot say: step ids 1..n, results name a call of their step, unique embedded trajectory ids. */
function crossFieldProblems(trajectory: AtifTrajectory, where = trajectory.trajectory_id): string[] {
  const problems: string[] = [];
  trajectory.steps.forEach((step, index) => {
    if (step.step_id !== index + 1) problems.push(`${where}: step ${index} has step_id ${step.step_id}`);
    const calls = new Set((step.tool_calls ?? []).map((call) => call.tool_call_id));
    for (const result of step.observation?.results ?? []) if (!calls.has(result.source_call_id)) problems.push(`${where}: result for unknown call ${result.source_call_id}`);
  });
  const ids = (trajectory.subagent_trajectories ?? []).map((child) => child.trajectory_id);
  if (new Set(ids).size !== ids.length) problems.push(`${where}: repeated subagent trajectory_id`);
  for (const step of trajectory.steps) {
    for (const result of step.observation?.results ?? []) for (const ref of result.subagent_trajectory_ref ?? []) if (!ids.includes(ref.trajectory_id)) problems.push(`${where}: unresolved ref ${ref.trajectory_id}`);
  }
  for (const child of trajectory.subagent_trajectories ?? []) problems.push(...crossFieldProblems(child, `${where} > ${child.trajectory_id}`));
  return problems;
}

async function atifRows(sessions: readonly Session[]): Promise<AtifTrajectory[]> {
  const builder = await createDatasetBuilder({ formats: ['atif'], validationRatio: 0.2, redaction: { homeDirectory: '/home/alice', userName: 'alice' } });
  for (const session of sessions) await builder.addSession(session);
  const dataset = builder.finish();
  try {
    return [...dataset.lines('atif', 'train'), ...dataset.lines('atif', 'validation')].map((line) => JSON.parse(line) as AtifTrajectory);
  } finally {
    dataset.close();
  }
}

describe('the atif format', () => {
  it('should write every session of the ordinary corpora as a valid ATIF v1.7 trajectory, subagents nested', async () => {
    const corpora = await ordinaryCorpora();
    const sessions = Object.values(corpora).flat();
    const trajectories = await atifRows(sessions);
    expect(trajectories.length).toBeGreaterThan(10);
    for (const trajectory of trajectories) {
      expect(validate(trajectory), `${trajectory.trajectory_id}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(crossFieldProblems(trajectory)).toEqual([]);
      expect(trajectory.schema_version).toBe('ATIF-v1.7');
    }
    // Subagent sessions are no rows of their own: each lives in its parent's subagent_trajectories, referenced from the call that started it.
    const nested = trajectories.flatMap((trajectory) => trajectory.subagent_trajectories ?? []);
    const subagentSessions = sessions.filter((session) => session.parent != null && sessions.some((parent) => parent.id === session.parent!.sessionId));
    expect(subagentSessions.length).toBeGreaterThan(0);
    expect(nested.length).toBeGreaterThan(0);
    for (const child of nested) expect(child.extra.forge.is_subagent).toBe(true);
    expect(trajectories.some((trajectory) => trajectory.extra.forge.is_subagent === true && trajectory.extra.forge.parent_session_id != null && trajectories.some((parent) => parent.session_id === trajectory.extra.forge.parent_session_id))).toBe(false);
    const refs = trajectories.flatMap((trajectory) => trajectory.steps.flatMap((step) => (step.observation?.results ?? []).flatMap((result) => result.subagent_trajectory_ref ?? [])));
    expect(refs.length).toBeGreaterThan(0);
    // Recorded usage becomes per-step metrics, and times become step timestamps.
    const agentSteps = trajectories.flatMap((trajectory) => trajectory.steps.filter((step) => step.source === 'agent'));
    expect(agentSteps.some((step) => step.metrics != null && step.metrics.prompt_tokens >= step.metrics.cached_tokens && step.metrics.completion_tokens > 0)).toBe(true);
    expect(agentSteps.every((step) => step.timestamp != null)).toBe(true);
    expect(trajectories.some((trajectory) => trajectory.steps.some((step) => step.reasoning_content != null))).toBe(true);
    // Costs as the transcripts recorded them (pi and omp record each response's), never a 0 for an unknown one (Claude Code records none).
    const costs = new Map(sessions.map((session) => [session.id, session.usage.cost]));
    const priced = trajectories.filter((trajectory) => costs.get(trajectory.session_id) != null);
    expect(priced.length).toBeGreaterThan(0);
    for (const trajectory of priced) {
      expect(trajectory.final_metrics.total_cost_usd).toBe(costs.get(trajectory.session_id));
      expect(trajectory.steps.some((step) => (step.metrics?.cost_usd ?? 0) > 0)).toBe(true);
    }
    const claude = trajectories.filter((trajectory) => trajectory.agent.name === 'claude-code');
    expect(claude.length).toBeGreaterThan(0);
    for (const trajectory of claude) expect([trajectory.final_metrics.total_cost_usd, ...trajectory.steps.map((step) => step.metrics?.cost_usd)].every((cost) => cost == null)).toBe(true);
  });

  it('should carry reasoning, tool calls with object arguments, results and forge labels', async () => {
    const [trajectory] = await atifRows([loadSessionFixture('claude-fix-test.session.json')]);
    expect(validate(trajectory)).toBe(true);
    const agent = trajectory!.steps.filter((step) => step.source === 'agent');
    expect(agent[0]!.reasoning_content).toBe('The test runner output will show the failure.');
    expect(agent[1]!.reasoning_content).toBeUndefined();
    expect(agent[1]!.extra).toEqual({ forge: { train: false, hollow_reasoning: true } });
    expect(agent.flatMap((step) => step.tool_calls ?? []).map((call) => call.tool_call_id)).toEqual(['toolu_01', 'toolu_02', 'toolu_03', 'toolu_04']);
    expect(agent[1]!.observation!.results.map((result) => result.source_call_id)).toEqual(['toolu_02', 'toolu_03']);
    expect(trajectory!.agent.name).toBe('claude-code');
    expect(trajectory!.extra.forge).toMatchObject({ source: 'claude-code', role: 'polecat', beads: ['ap-12'], score: null, is_subagent: false });
    expect(trajectory!.final_metrics).toMatchObject({ total_prompt_tokens: 100, total_completion_tokens: 50, total_steps: trajectory!.steps.length });
  });

  it('should redact the trajectory like every row', async () => {
    const lines = JSON.stringify(await atifRows([loadSessionFixture('planted-secrets.session.json')]));
    expect(lines).toContain('ATIF-v1.7');
    for (const [name, value] of Object.entries(plantedSecretValues())) expect(lines, name).not.toContain(value);
  });
});
