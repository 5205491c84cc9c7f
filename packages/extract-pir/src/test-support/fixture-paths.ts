import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

/** The repository root (this file is packages/extract-pir/src/test-support/). */
export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');

/** The shared, read-only fixtures folder next to the repository. */
export const fixturesRoot = resolve(repoRoot, '../shared/fixtures');

/** The hand-written pi fixtures' sessions root (pi-family.md §9). */
export const piFixtureSessions = join(fixturesRoot, 'pi', 'sessions');

/** The real-client fixtures (fixtures/real/README.md). */
export const realFixtures = join(fixturesRoot, 'real');
