import { type DatasetFormat, type FormatOptions, type FormatRow, type PreferenceItem } from './dataset-format.js';

/**
 * The merge-time hook of a preference format from a function that builds and validates one row
 * (throwing when the item does not fit the format); undefined items are not for this format.
 */
export function preferenceRowOf(toLine: (item: PreferenceItem, options: FormatOptions) => string | undefined): NonNullable<DatasetFormat['preferenceRow']> {
  return (item, options) => {
    let line: string | undefined;
    try {
      line = toLine(item, options);
    } catch (error) {
      const ref = item.kind === 'pair' ? `${item.pair.chosen.sessionId}>${item.pair.rejected.sessionId}` : item.single.session.sessionId;
      return { skippedPart: `pair:${ref}`, reason: error instanceof Error ? error.message : String(error) } satisfies FormatRow;
    }
    return line == null ? undefined : { line };
  };
}
