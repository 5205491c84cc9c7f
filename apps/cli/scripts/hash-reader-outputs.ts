// Hashes everything the readers give for every fixture, sample, real and demo file, so an engine
// change can prove its output byte-identical. Run from the repository root, on the sources:
//   node --conditions=@forge/source --import tsx apps/cli/scripts/hash-reader-outputs.ts --write   (record)
//   node --conditions=@forge/source --import tsx apps/cli/scripts/hash-reader-outputs.ts           (compare)
// Absolute roots in the outputs (file paths inside Sessions and warnings) are replaced by names, so
// the hashes do not depend on where the repository or the temp folder is.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { demoHome, listSessionFiles, sharedFixturesRoot } from '@forge-internal/test-agents';
import { extractClaudeSessions, readClaudeSession, streamClaudeSession } from '@forge/extract-claude';
import { extractPiSessions, readPiSession, streamPiSession } from '@forge/extract-pir';
import { type Message, type Session, type SessionWarning } from '@forge/schema';

const hashesPath = join(import.meta.dirname, 'reader-output-hashes.json');

/** The public sample projects laid out as a Claude Code config dir (`<tmp>/projects/<project>/…`). */
function samplesAsConfigDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'forge-hash-samples-'));
  const samples = join(sharedFixturesRoot, 'claude', 'samples');
  for (const source of ['claude-code-log', 'claude-code-viewer']) {
    for (const project of readdirSync(join(samples, source))) cpSync(join(samples, source, project), join(root, 'projects', project), { recursive: true });
  }
  return root;
}

/** Whatever a stream yields (before and after the readers' event shapes became one), folded to Sessions. */
async function foldStream(events: AsyncIterable<{ kind: string; message?: Message; session?: Partial<Session>; warning?: SessionWarning }>, warnings: SessionWarning[]): Promise<Session[]> {
  const sessions: Session[] = [];
  let messages: Message[] = [];
  for await (const event of events) {
    if (event.kind === 'message' && event.message != null) messages.push(event.message);
    else if (event.kind === 'file-warning' && event.warning != null) warnings.push(event.warning);
    else if (event.kind === 'session' && event.session != null) {
      const session: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(event.session)) {
        if (key === 'messages') continue;
        if (key === 'warnings') session.messages = messages;
        session[key] = value;
      }
      sessions.push(session as Session);
      messages = [];
    }
  }
  return sessions;
}

async function collect(sessions: AsyncIterable<Session>): Promise<Session[]> {
  const all: Session[] = [];
  for await (const session of sessions) all.push(session);
  return all;
}

const samplesRoot = samplesAsConfigDir();
const placeholders: [string, string][] = [
  [samplesRoot, '<samples>'],
  [demoHome, '<demo>'],
  [sharedFixturesRoot, '<fixtures>'],
];

function digest(value: { sessions: Session[]; warnings: SessionWarning[] }): string {
  let text = `${value.sessions.map((session) => JSON.stringify(session)).join('\n')}\n${JSON.stringify(value.warnings)}`;
  for (const [path, name] of placeholders) text = text.split(path).join(name);
  return createHash('sha256').update(text).digest('hex');
}

const hashes: Record<string, string> = {};
const record = (key: string, sessions: Session[], warnings: SessionWarning[]): void => {
  hashes[key] = digest({ sessions, warnings });
};

const claudeRoots: Record<string, string[]> = {
  'claude-fixtures': [join(sharedFixturesRoot, 'claude')],
  'claude-samples': [samplesRoot],
  'claude-real': [join(sharedFixturesRoot, 'real', 'claude', '.claude'), join(sharedFixturesRoot, 'real', 'claude-2.0.76', '.claude')],
  'claude-demo': [join(demoHome, '.claude')],
};
const piRoots: Record<string, string[]> = {
  'pi-fixtures': [join(sharedFixturesRoot, 'pi', 'sessions')],
  'pi-real': [join(sharedFixturesRoot, 'real', 'pi', '.pi', 'agent', 'sessions'), join(sharedFixturesRoot, 'real', 'omp', '.omp', 'agent', 'sessions')],
  'pi-demo': [join(demoHome, '.pi', 'agent', 'sessions'), join(demoHome, '.omp', 'agent', 'sessions')],
};
const nameOf = (path: string): string => {
  for (const [root, name] of placeholders) if (path.startsWith(root)) return `${name}/${relative(root, path)}`;
  return path;
};

try {
  for (const [name, roots] of Object.entries(claudeRoots)) {
    for (const workers of [1, 2]) {
      const warnings: SessionWarning[] = [];
      record(`${name}/extract${workers === 1 ? '' : '-workers2'}`, await collect(extractClaudeSessions({ roots, workers, onWarning: (warning) => warnings.push(warning) })), warnings);
    }
    for (const path of (await Promise.all(roots.map((root) => listSessionFiles(root)))).flat()) {
      const readWarnings: SessionWarning[] = [];
      record(`read ${nameOf(path)}`, await readClaudeSession(path, { onWarning: (warning) => readWarnings.push(warning) }), readWarnings);
      const streamWarnings: SessionWarning[] = [];
      record(`stream ${nameOf(path)}`, await foldStream(streamClaudeSession(path), streamWarnings), streamWarnings);
    }
  }
  for (const [name, roots] of Object.entries(piRoots)) {
    for (const branches of ['active', 'all'] as const) {
      const warnings: SessionWarning[] = [];
      record(`${name}/extract-${branches}`, await collect(extractPiSessions({ roots, branches, onWarning: (warning) => warnings.push(warning) })), warnings);
    }
    // Worker threads hand sessions back in completion order: compared as a sorted set.
    const pooled = await collect(extractPiSessions({ roots, workers: 2 }));
    record(`${name}/extract-workers2`, pooled.sort((left, right) => (JSON.stringify(left) < JSON.stringify(right) ? -1 : 1)), []);
    for (const path of (await Promise.all(roots.map((root) => listSessionFiles(root)))).flat()) {
      for (const branches of ['active', 'all'] as const) {
        const warnings: SessionWarning[] = [];
        let sessions: Session[] = [];
        try {
          sessions = await readPiSession(path, { branches, onWarning: (warning) => warnings.push(warning) });
        } catch (error) {
          warnings.push({ file: path, kind: 'other', message: error instanceof Error ? error.message : String(error) });
        }
        record(`read-${branches} ${nameOf(path)}`, sessions, warnings);
      }
      const streamWarnings: SessionWarning[] = [];
      let streamed: Session[] = [];
      try {
        streamed = await foldStream(streamPiSession(path), streamWarnings);
      } catch (error) {
        streamWarnings.push({ file: path, kind: 'other', message: error instanceof Error ? error.message : String(error) });
      }
      record(`stream ${nameOf(path)}`, streamed, streamWarnings);
    }
  }
} finally {
  rmSync(samplesRoot, { recursive: true, force: true });
}

if (process.argv.includes('--write')) {
  writeFileSync(hashesPath, `${JSON.stringify(hashes, null, 2)}\n`);
  process.stdout.write(`recorded ${Object.keys(hashes).length} hashes in ${hashesPath}\n`);
} else {
  const recorded = existsSync(hashesPath) ? (JSON.parse(readFileSync(hashesPath, 'utf8')) as Record<string, string>) : {};
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(hashes)])].sort();
  const differing = keys.filter((key) => recorded[key] !== hashes[key]);
  for (const key of differing) process.stdout.write(`DIFFERS ${key}: recorded ${recorded[key] ?? '(none)'}, now ${hashes[key] ?? '(none)'}\n`);
  process.stdout.write(`${keys.length - differing.length} of ${keys.length} outputs byte-identical\n`);
  process.exitCode = differing.length === 0 ? 0 : 1;
}
