import { type SidecarFile } from '../formats/dataset-format.js';
import { type DatasetSplit } from '../split/assign-split.js';
import { TransformError } from '../transform-error.js';

/** Where a format's rows go in the dataset folder: `<format>/train.jsonl` and `<format>/val.jsonl`. */
export function defaultDatasetFilePath(format: string, split: DatasetSplit): string {
  return `${format}/${split === 'train' ? 'train' : 'val'}.jsonl`;
}

/**
 * Where a format's row bookkeeping goes: `rows.jsonl` beside its train file, one line per row of
 * train then validation, in row order (`{ sessionId, source, role, beads, score, split }`). Kept out
 * of the rows themselves: some trainers (OpenAI's fine-tuning API) reject extra keys.
 */
export function rowsFilePath(files: { train: string }): string {
  const folder = files.train.includes('/') ? files.train.slice(0, files.train.lastIndexOf('/') + 1) : '';
  return `${folder}rows.jsonl`;
}

/**
 * The formats' sidecars as files: JSON sidecars with the same path merged key by key in the
 * formats' order (written with two-space indentation and a final newline); a text sidecar must
 * have its path to itself.
 */
export function mergeSidecars(sidecars: readonly SidecarFile[]): Array<{ path: string; text: string }> {
  const byPath = new Map<string, SidecarFile>();
  for (const sidecar of sidecars) {
    const earlier = byPath.get(sidecar.path);
    if (earlier == null) byPath.set(sidecar.path, sidecar);
    else if ('json' in earlier && 'json' in sidecar) byPath.set(sidecar.path, { path: sidecar.path, json: { ...earlier.json, ...sidecar.json } });
    else throw new TransformError({ message: `two formats write the sidecar ${sidecar.path}`, code: 'sidecar-conflict', hint: 'only JSON sidecars can be shared between formats' });
  }
  return [...byPath.values()].map((sidecar) => ({ path: sidecar.path, text: 'json' in sidecar ? `${JSON.stringify(sidecar.json, null, 2)}\n` : sidecar.text }));
}
