import { createHash } from 'node:crypto';
import { type RedactionOptions } from '@forge/transform';

/**
 * What the redaction options change, as a digest for a signature (the run's up-to-date one, the
 * unit cache's key): a changed literal value counts, yet no value is written anywhere (patterns by their source).
 */
export function redactionDigest(redaction: RedactionOptions): string {
  const text = JSON.stringify(redaction, (_key, value: unknown) => (value instanceof RegExp ? `/${value.source}/${value.flags}` : value));
  return createHash('sha256').update(text).digest('hex');
}
