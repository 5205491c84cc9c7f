/** A plain JSON object, or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value != null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A non-empty string, or undefined (bd writes `""` and `null` for unset fields). */
export function asText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The strings of an array, or []. */
export function asTextList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
