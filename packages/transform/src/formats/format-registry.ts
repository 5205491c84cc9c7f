import { TransformError } from '../transform-error.js';
import { type DatasetFormat } from './dataset-format.js';
import { dpoOpenaiFormat } from './dpo-openai-format.js';
import { dpoSharegptFormat } from './dpo-sharegpt-format.js';
import { dpoTrlFormat } from './dpo-trl-format.js';
import { ktoFormat } from './kto-format.js';
import { atifFormat } from './atif-format.js';
import { messagesFormat } from './messages-format.js';
import { openaiFormat } from './openai-format.js';
import { sharegptFormat } from './sharegpt-format.js';

/**
 * Every format forge writes, in the order its files and manifest entries come. Adding a format is
 * its module and one line here; its name is written nowhere else.
 */
export const datasetFormats = [sharegptFormat, openaiFormat, messagesFormat, dpoTrlFormat, dpoSharegptFormat, dpoOpenaiFormat, ktoFormat, atifFormat] as const;

/** The name of a registered format. */
export type FormatName = (typeof datasetFormats)[number]['name'];

/** The registered format names, in registry order. */
export const formatNames: readonly FormatName[] = datasetFormats.map((format) => format.name);

/** The formats written when none are named: every per-session (SFT) format; preference formats only when asked for. */
export const defaultFormats: readonly DatasetFormat[] = datasetFormats.filter((format: DatasetFormat) => format.preferenceRow == null && format.byDefault !== false);

/**
 * The formats asked for (default: {@link defaultFormats}), each once: registered ones by name in registry
 * order, then format objects of the caller's own in the order given. Throws a `TransformError`
 * (`unknown-format`) naming the unknown names and the known ones.
 */
export function resolveFormats(formats?: readonly (string | DatasetFormat)[]): DatasetFormat[] {
  if (formats == null) return [...defaultFormats];
  const names = formats.filter((format) => typeof format === 'string');
  const unknown = names.filter((name) => !(formatNames as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new TransformError({ message: `unknown format ${unknown.map((name) => `"${name}"`).join(', ')}`, code: 'unknown-format', hint: `choose from ${formatNames.join(', ')}` });
  }
  const resolved: DatasetFormat[] = datasetFormats.filter((format) => names.includes(format.name));
  for (const format of formats) if (typeof format !== 'string' && !resolved.some((known) => known.name === format.name)) resolved.push(format);
  return resolved;
}
