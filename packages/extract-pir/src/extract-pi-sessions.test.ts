import { join } from 'node:path';
import { parseSession, type Session, type SessionWarning } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { extractPiSessions } from './extract-pi-sessions.js';
import { defaultPiSessionRoots } from './session-roots.js';
import { piFixtureSessions, realFixtures } from './test-support/fixture-paths.js';

const roots = [piFixtureSessions, join(realFixtures, 'pi/.pi/agent/sessions'), join(realFixtures, 'omp/.omp/agent/sessions')];

async function collect(workers: number): Promise<{ sessions: Session[]; warnings: SessionWarning[] }> {
  const warnings: SessionWarning[] = [];
  const sessions: Session[] = [];
  for await (const session of extractPiSessions({ roots, workers, branches: 'all', onWarning: (warning) => warnings.push(warning) })) sessions.push(session);
  return { sessions, warnings };
}

const summary = (sessions: Session[]) =>
  sessions
    .map((session) => `${session.source} ${session.id} ${session.messages.length} ${JSON.stringify(session.usage)}`)
    .sort();

describe('extractPiSessions', () => {
  it('should yield every trajectory of every pi, pir and omp file, each valid against the schema', async () => {
    const { sessions } = await collect(0);
    for (const session of sessions) parseSession(session);
    // 8 hand-written files (one with two leaves) + 3 real pi + 2 real omp files.
    expect(sessions).toHaveLength(8 + 1 + 3 + 2);
    expect(new Set(sessions.map((session) => session.source))).toEqual(new Set(['pir', 'pi', 'omp']));
  });

  it('should give the same Sessions with a pool of 2 worker threads', async () => {
    const inThread = await collect(0);
    const pooled = await collect(2);
    expect(summary(pooled.sessions)).toEqual(summary(inThread.sessions));
    // Whole Sessions, not only their summaries: the pool's JSON transfer must lose nothing.
    // Sessions come in discovery order whatever the number of threads.
    expect(pooled.sessions).toStrictEqual(inThread.sessions);
    expect(pooled.warnings).toEqual(inThread.warnings);
  });

  it('should reject a negative worker count', async () => {
    await expect(extractPiSessions({ roots, workers: -1 }).next()).rejects.toMatchObject({ code: 'invalid-option' });
  });
});

describe('defaultPiSessionRoots', () => {
  it('should follow PI_SESSIONS_DIR, then PI_CODING_AGENT_DIR, then ~/.pi, and OMP_CODING_AGENT_DIR or ~/.omp', () => {
    expect(defaultPiSessionRoots({}, '/home/u')).toEqual([
      { path: '/home/u/.pi/agent/sessions', kind: 'pi' },
      { path: '/home/u/.omp/agent/sessions', kind: 'omp' },
    ]);
    expect(defaultPiSessionRoots({ PI_CODING_AGENT_DIR: '/agent', OMP_CODING_AGENT_DIR: '/omp-agent' }, '/home/u')).toEqual([
      { path: '/agent/sessions', kind: 'pi' },
      { path: '/omp-agent/sessions', kind: 'omp' },
    ]);
    expect(defaultPiSessionRoots({ PI_SESSIONS_DIR: '/s', PI_CODING_AGENT_DIR: '/agent' }, '/home/u')[0]).toEqual({ path: '/s', kind: 'pi' });
  });
});
