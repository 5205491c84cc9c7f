import { join, resolve } from 'node:path';
import { type SessionWarning, type Town, type TownEvent } from '@forge/schema';
import { toIsoTime } from './iso-time.js';
import { asObject, asText } from './json-fields.js';
import { forEachJsonLine } from './read-jsonl-file.js';

/**
 * A town's activity log (`<town>/.events.jsonl`: `{ts, source, type, actor, payload, visibility}`)
 * and prefix routes (`<town>/.beads/routes.jsonl`: `{prefix, path}`, path relative to the town).
 */
export async function readTown(root: string, warnings: SessionWarning[]): Promise<Town> {
  const events: TownEvent[] = [];
  const eventsFile = join(root, '.events.jsonl');
  await forEachJsonLine(eventsFile, warnings, (value, line, log) => {
    const record = asObject(value);
    const at = toIsoTime(record?.ts);
    const type = asText(record?.type);
    if (record == null || at == null || type == null) {
      log.addCounted('invalid-record', 'event', 'line is not a town event (ts, type); skipped', line);
      return;
    }
    const event: TownEvent = { at, type, payload: asObject(record.payload) ?? {}, source: { file: eventsFile, line } };
    const actor = asText(record.actor);
    if (actor != null) event.actor = actor;
    events.push(event);
  });
  const routes: Town['routes'] = [];
  await forEachJsonLine(join(root, '.beads', 'routes.jsonl'), warnings, (value, line, log) => {
    const record = asObject(value);
    const prefix = asText(record?.prefix);
    const path = asText(record?.path);
    if (prefix == null || path == null) log.addCounted('invalid-record', 'route', 'line is not a route (prefix, path); skipped', line);
    else routes.push({ prefix, path: resolve(root, path) });
  });
  return { root, events, routes };
}
