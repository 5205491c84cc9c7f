import { z } from 'zod';
import { createParsers } from './create-parsers.js';

/** Gas Town roles, from the working directory layout and the identity strings (docs/gastown-beads.md T1). */
export const gasTownRoles = ['mayor', 'deacon', 'boot', 'dog', 'witness', 'refinery', 'polecat', 'crew', 'overseer', 'unknown'] as const;
export const gasTownRoleSchema = z.enum(gasTownRoles);
export type GasTownRole = z.infer<typeof gasTownRoleSchema>;

/** The `[GAS TOWN] <recipient> <- <sender> • <time> • <topic>` startup beacon, parsed. */
export const gasTownBeaconSchema = z
  .object({
    recipient: z.string(),
    sender: z.string(),
    /** The beacon's local time as written, e.g. `2025-12-30T15:42`. */
    time: z.string().optional(),
    /** The topic without the bead id, e.g. `assigned`, `patrol`, `handoff`. */
    topic: z.string(),
    beadId: z.string().optional(),
  })
  .meta({ id: 'GasTownBeacon' });
export type GasTownBeacon = z.infer<typeof gasTownBeaconSchema>;

/** Which Gas Town agent ran a session and on which beads. */
export const gasTownContextSchema = z
  .object({
    role: gasTownRoleSchema,
    rig: z.string().optional(),
    /** The agent's name: a polecat, crew member or dog. */
    name: z.string().optional(),
    /** The town root folder (holds `mayor/town.json`). */
    townRoot: z.string().optional(),
    /** Work bead ids the session is linked to (beacon first, then others seen). */
    beadIds: z.array(z.string()),
    beacon: gasTownBeaconSchema.optional(),
  })
  .meta({ id: 'GasTownContext' });
export type GasTownContext = z.infer<typeof gasTownContextSchema>;

export const { parse: parseGasTownContext, safeParse: safeParseGasTownContext } = createParsers('GasTownContext', gasTownContextSchema);
