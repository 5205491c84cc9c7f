import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Creates an empty temp folder to serve as an agent's `$HOME` (with a `tmp/` inside for `TMPDIR`). */
export async function makeTempHome(prefix = 'forge-agent-home-'): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(home, 'tmp'));
  return home;
}

/** Creates a temp project folder for an agent's cwd, optionally with files (paths relative to it). */
export async function makeTempProject(files: Record<string, string> = {}, prefix = 'forge-agent-project-'): Promise<string> {
  const cwd = await mkdtemp(join(tmpdir(), prefix));
  for (const [relativePath, content] of Object.entries(files)) {
    const path = join(cwd, relativePath);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  return cwd;
}
