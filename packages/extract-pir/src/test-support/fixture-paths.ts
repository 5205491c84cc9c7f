import { join } from 'node:path';
import { sharedFixturesRoot } from '@forge-internal/test-agents';

/** The hand-written pi fixtures' sessions root (pi-family.md §9). */
export const piFixtureSessions = join(sharedFixturesRoot, 'pi', 'sessions');

/** The real-client fixtures (fixtures/real/README.md). */
export const realFixtures = join(sharedFixturesRoot, 'real');
