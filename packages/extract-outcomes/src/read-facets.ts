import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SessionFacets, type SessionWarning } from '@forge/schema';
import { asObject, asText } from './json-fields.js';

/**
 * Claude Code's `/insights` facets (`<config root>/usage-data/facets/<session-id>.json`: `outcome`,
 * `claude_helpfulness`, `friction_counts`, `user_satisfaction_counts`, …). Only the sessions asked
 * for when `sessionIds` is given, else every file. A missing folder gives nothing.
 */
export async function readFacets(claudeRoots: readonly string[], sessionIds: readonly string[] | undefined, warnings: SessionWarning[]): Promise<SessionFacets[]> {
  const facets = new Map<string, SessionFacets>();
  for (const root of claudeRoots) {
    const folder = join(root, 'usage-data', 'facets');
    let names: string[];
    try {
      names = readdirSync(folder).filter((name) => name.endsWith('.json'));
    } catch {
      continue;
    }
    if (sessionIds != null) {
      const wanted = new Set(sessionIds.map((id) => `${id}.json`));
      names = names.filter((name) => wanted.has(name));
    }
    for (const name of names.sort()) {
      const file = join(folder, name);
      let value: unknown;
      try {
        value = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        warnings.push({ file, kind: 'invalid-json', message: `facets file is not JSON (${(error as Error).message}); skipped` });
        continue;
      }
      const record = asObject(value);
      const sessionId = asText(record?.session_id) ?? name.slice(0, -'.json'.length);
      if (record == null || facets.has(sessionId)) continue;
      const entry: SessionFacets = { sessionId, frictionCounts: counts(record.friction_counts), satisfactionCounts: counts(record.user_satisfaction_counts), source: { file } };
      const outcome = asText(record.outcome);
      if (outcome != null) entry.outcome = outcome;
      const helpfulness = asText(record.claude_helpfulness);
      if (helpfulness != null) entry.helpfulness = helpfulness;
      facets.set(sessionId, entry);
    }
  }
  return [...facets.values()];
}

function counts(value: unknown): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [key, count] of Object.entries(asObject(value) ?? {})) if (typeof count === 'number' && Number.isFinite(count) && count >= 0) result[key] = count;
  return result;
}
