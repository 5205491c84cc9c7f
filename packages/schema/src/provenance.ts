import { z } from 'zod';

/**
 * Where a message came from. Readers classify; transforms decide (drop noise, keep context,
 * never train on orchestration). See `provenanceClass`.
 */
export const provenanceKinds = [
  // What the user typed and what the model said: training material.
  'conversation',
  // Context the model saw that no one typed this turn.
  'compaction-summary',
  'branch-summary',
  'user-shell',
  'custom',
  'file-mention',
  // Harness noise.
  'system-reminder',
  'hook-output',
  'command-wrapper',
  'local-command-output',
  'meta',
  'attachment',
  'warmup',
  'api-error',
  'interrupted',
  'harness',
  // Orchestration (Gas Town): kept as context, never trained on.
  'gastown-beacon',
  'gastown-nudge',
] as const;
export const provenanceSchema = z.enum(provenanceKinds).meta({ id: 'Provenance' });
export type Provenance = z.infer<typeof provenanceSchema>;

export type ProvenanceClass = 'conversation' | 'context' | 'noise' | 'orchestration';

/** The policy class of a provenance: what a transform may train on, keep, or drop. */
export function provenanceClass(provenance: Provenance): ProvenanceClass {
  switch (provenance) {
    case 'conversation':
      return 'conversation';
    case 'compaction-summary':
    case 'branch-summary':
    case 'user-shell':
    case 'custom':
    case 'file-mention':
      return 'context';
    case 'system-reminder':
    case 'hook-output':
    case 'command-wrapper':
    case 'local-command-output':
    case 'meta':
    case 'attachment':
    case 'warmup':
    case 'api-error':
    case 'interrupted':
    case 'harness':
      return 'noise';
    case 'gastown-beacon':
    case 'gastown-nudge':
      return 'orchestration';
  }
}
