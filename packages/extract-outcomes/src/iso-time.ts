// bd writes Go RFC 3339 times (nanoseconds, offsets); Dolt dumps may write `YYYY-MM-DD HH:MM:SS`
// without a zone, which is read as UTC so that the result never depends on this machine's zone.
const zonelessPattern = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d(?:\.\d+)?)?$/u;

/** An ISO 8601 UTC time (`…Z`, milliseconds) from a time written by bd, git or gt; undefined when it is not one. */
export function toIsoTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const text = zonelessPattern.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const milliseconds = Date.parse(text);
  // Go's zero time (0001-01-01) stands for "not set".
  if (Number.isNaN(milliseconds) || milliseconds < Date.UTC(1971, 0, 1)) return undefined;
  return new Date(milliseconds).toISOString();
}
