import { z } from 'zod';
import { createParsers } from './create-parsers.js';
import { gasTownContextSchema } from './gastown.js';
import { messageSchema } from './message.js';
import { toolDefinitionSchema } from './records/tool-definition.js';
import { sessionWarningSchema } from './session-warning.js';
import { sessionForgeEntriesSchema } from './forge-entries.js';
import { syntheticTagSchema } from './synthetic.js';
import { usageSchema } from './usage.js';

/** Bumped on any breaking change to Session or Message. */
export const SESSION_SCHEMA_VERSION = 1;

export const sessionSources = ['claude-code', 'pir', 'pi', 'omp', 'codex', 'gemini', 'opencode'] as const;
export const sessionSourceSchema = z.enum(sessionSources);
export type SessionSource = z.infer<typeof sessionSourceSchema>;

/** One trajectory: a session file's active (or one) branch, normalised. */
export const sessionSchema = z
  .object({
    schemaVersion: z.literal(SESSION_SCHEMA_VERSION),
    id: z.string().min(1),
    source: sessionSourceSchema,
    /** The harness version that wrote the file, when recorded. */
    sourceVersion: z.string().optional(),
    /** The file(s) this trajectory was read from. */
    files: z.array(z.string()).min(1),
    cwd: z.string(),
    gitBranch: z.string().optional(),
    /** ISO 8601. */
    startedAt: z.string(),
    endedAt: z.string(),
    title: z.string().optional(),
    /** Every model that answered, in order of first use. */
    models: z.array(z.string()),
    thinkingLevels: z.array(z.string()).optional(),
    branch: z.object({
      /** The id of the last entry of this trajectory, null when the file has no entries. */
      leafId: z.string().nullable(),
      /** Whether this is the branch the harness would resume. */
      isActive: z.boolean(),
    }),
    parent: z
      .object({
        sessionId: z.string(),
        /** The tool call in the parent that started this session (Task/Agent tool). */
        toolCallId: z.string().optional(),
      })
      .optional(),
    isSubagent: z.boolean(),
    /** For subagents: the agent type or description the parent gave. */
    agent: z.object({ id: z.string().optional(), type: z.string().optional(), description: z.string().optional() }).optional(),
    gastown: gasTownContextSchema.optional(),
    /** Totals over the messages' usage. */
    usage: usageSchema,
    /** True when the file holds provisional usage only (Claude Code 2.0.x streaming snapshots). */
    usageProvisional: z.boolean().optional(),
    messages: z.array(messageSchema),
    /**
     * The tool definitions the harness offered the model, exactly as recorded (Claude Code 2.1
     * `api-request-shape` lines: names, descriptions, JSON schemas). Absent when the source records
     * none; transforms then infer definitions from the calls and mark them inferred.
     */
    tools: z.array(toolDefinitionSchema).optional(),
    /**
     * The system prompt the harness sent the model, exactly as recorded: Claude Code 2.1
     * `api-request-shape` `shape.system` (its text blocks joined by a blank line), omp subagent
     * `session_init.systemPrompt`. Absent when the source records none.
     */
    systemPrompt: z.string().optional(),
    /** Set when forge generated this session (`forge synth run`): the template and parameters it was made with. */
    synthetic: syntheticTagSchema.optional(),
    /** What forge's pi/omp extensions recorded in the session (training-capture, outcome-tagging); absent when there is none. */
    forgeEntries: sessionForgeEntriesSchema.optional(),
    warnings: z.array(sessionWarningSchema),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof sessionSchema>;

export const { parse: parseSession, safeParse: safeParseSession } = createParsers('Session', sessionSchema);
