import { type SessionWarning } from '@forge/schema';

/** `file:line [kind] message (×count)`: how every command prints a warning. */
export function formatWarning(warning: SessionWarning): string {
  return `${warning.file}${warning.line == null ? '' : `:${warning.line}`} [${warning.kind}] ${warning.message}${warning.count == null || warning.count === 1 ? '' : ` (×${warning.count})`}`;
}
