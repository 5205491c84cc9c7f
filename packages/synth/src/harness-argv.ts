import { type SynthHarness } from './synth-options.js';

/** What one print-mode run is asked to do. */
export interface HarnessRunRequest {
  harness: SynthHarness;
  /** argv prefix that starts the program (`['pi']`, `['node', '…/cli.js']`). */
  command: readonly string[];
  /** The user prompt. */
  prompt: string;
  /** Appended to the program's own system prompt. */
  systemPrompt: string;
  /** Where the program writes the session (its own `--session-dir`). */
  sessionDir: string;
  /** Omitted: the program's default level. */
  thinking?: string;
  model?: string;
  provider?: string;
  tools?: readonly string[];
}

/**
 * The argv of one print-mode run. pi 0.73.1, omp 18.2.3 and pir 0.2.0 share these flags
 * (`--print`, `--session-dir`, `--append-system-prompt`, `--thinking`, `--provider`, `--model`,
 * `--tools`); omp also gets `--no-title` so it spends no model call on a session title. The prompt
 * is the last element, one argument, never parsed by a shell.
 */
export function harnessArgv(request: HarnessRunRequest): string[] {
  return [
    ...request.command,
    '--print',
    '--session-dir',
    request.sessionDir,
    '--append-system-prompt',
    request.systemPrompt,
    ...(request.thinking == null ? [] : ['--thinking', request.thinking]),
    ...(request.provider == null ? [] : ['--provider', request.provider]),
    ...(request.model == null ? [] : ['--model', request.model]),
    ...(request.tools == null ? [] : ['--tools', request.tools.join(',')]),
    ...(request.harness === 'omp' ? ['--no-title'] : []),
    request.prompt,
  ];
}
