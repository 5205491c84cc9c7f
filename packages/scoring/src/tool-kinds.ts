import { programOf } from './shell-commands.js';
import { shellCommandsOf, type ToolUse } from './tool-uses.js';

const readTools = new Set(['read', 'grep', 'glob', 'ls', 'find', 'view', 'webfetch', 'websearch', 'notebookread', 'search', 'codebase_search', 'read_file', 'list_dir', 'file_search', 'grep_search']);
const readPrograms = new Set(['cat', 'head', 'tail', 'less', 'more', 'ls', 'grep', 'rg', 'ag', 'find', 'fd', 'tree', 'wc', 'file', 'stat', 'nl', 'awk', 'jq']);
const readGitVerbs = new Set(['log', 'show', 'diff', 'status', 'blame', 'grep', 'branch']);
const beadReadVerbs = new Set(['show', 'list', 'ready', 'prime', 'hook', 'search', 'comments']);

/** True when a call only gathers context: reads, searches, listings, `git log/diff`, `bd show`. */
export function isContextCall(use: ToolUse): boolean {
  if (readTools.has(use.name.toLowerCase())) return true;
  const commands = shellCommandsOf(use);
  if (commands == null) return false;
  return commands.length > 0 && commands.every((argv) => {
    const program = programOf(argv);
    if (readPrograms.has(program)) return true;
    if (program === 'sed') return !argv.some((word) => word === '-i' || word.startsWith('-i'));
    if (program === 'git') return readGitVerbs.has(argv.find((word, position) => position > 0 && !word.startsWith('-')) ?? '');
    if (program === 'bd' || program === 'gt') return beadReadVerbs.has(argv.find((word, position) => position > 0 && !word.startsWith('-')) ?? '');
    return program === 'cd' || program === 'pwd' || program === 'echo';
  });
}

// Test runners, builds, type checks and linters, in the ecosystems agents work in.
const validationPattern =
  /\b(?:test|tests|pytest|jest|vitest|mocha|ava|tap|rspec|phpunit|ctest|tsc|typecheck|eslint|ruff|mypy|pyright|flake8|clippy|golangci-lint|build|check|lint|verify)\b/u;
const validationPrograms = new Set(['make', 'cargo', 'go', 'npm', 'pnpm', 'yarn', 'bun', 'npx', 'node', 'python', 'python3', 'pytest', 'tox', 'gradle', 'mvn', 'bazel', 'dotnet', 'mix', 'swift', 'tsc', 'eslint', 'ruff', 'mypy', 'deno', 'just', 'uv']);

/** True when a shell call runs tests, a build, a type check or a linter. */
export function isValidationCall(use: ToolUse): boolean {
  return (shellCommandsOf(use) ?? []).some((argv) => {
    const program = programOf(argv);
    if (program === 'pytest' || program === 'tsc' || program === 'eslint' || program === 'ruff' || program === 'mypy') return true;
    return validationPrograms.has(program) && validationPattern.test(argv.slice(1).join(' '));
  });
}
