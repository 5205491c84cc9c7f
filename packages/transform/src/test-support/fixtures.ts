import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSession, type Session } from '@forge/schema';
import { fillPlaceholders } from './planted-secrets.js';

/** The absolute path of a file in src/__fixtures__. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../__fixtures__/${name}`, import.meta.url));
}

/** A hand-written session fixture (`{{name}}` placeholders filled with planted secrets), validated against the Session schema. */
export function loadSessionFixture(name: string): Session {
  return parseSession(fillPlaceholders(JSON.parse(readFileSync(fixturePath(name), 'utf8'))), { file: fixturePath(name) });
}

/** Every session fixture. */
export function allSessionFixtures(): Session[] {
  return ['claude-fix-test.session.json', 'pir-rename.session.json', 'omp-summary.session.json', 'planted-secrets.session.json'].map(loadSessionFixture);
}
