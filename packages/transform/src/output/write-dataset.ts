import { mkdir, open, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type DatasetManifest } from '@forge/schema';
import { type BuiltDataset } from '../merge/dataset-merger.js';
import { type DatasetSplit } from '../split/assign-split.js';
import { createDatasetManifest, type DatasetRunFacts } from './dataset-manifest.js';
import { rowsFilePath } from './dataset-layout.js';
import { describeWriteFailure } from './write-folder-atomically.js';

/** Lines are written in pieces of about this many characters. */
const pieceCharacters = 1024 * 1024;

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'w');
  try {
    let piece: string[] = [];
    let characters = 0;
    for (const line of lines) {
      piece.push(line, '\n');
      characters += line.length + 1;
      if (characters >= pieceCharacters) {
        await handle.write(piece.join(''));
        piece = [];
        characters = 0;
      }
    }
    if (piece.length > 0) await handle.write(piece.join(''));
  } finally {
    await handle.close();
  }
}

/** Each row's bookkeeping as one `rows.jsonl` line, train rows then validation rows, in row order (a preference row names both sessions). */
function* rowLabelLines(dataset: BuiltDataset, format: string): Generator<string> {
  for (const split of ['train', 'validation'] as const satisfies readonly DatasetSplit[]) {
    for (const { labels } of dataset.rows(format, split)) {
      yield JSON.stringify({ sessionId: labels.sessionId, source: labels.source, role: labels.role, beads: labels.beads, score: labels.score, split, ...(labels.preference == null ? {} : { preference: labels.preference }) });
    }
  }
}

/**
 * Writes a built dataset into `folder`: each format's rows as `<format>/train.jsonl` and
 * `<format>/val.jsonl` (created even when empty; the paths the build chose) with the rows'
 * bookkeeping in `<format>/rows.jsonl` (every format, present and future), the formats' sidecars
 * (`dataset_info.json`, `axolotl.yaml`) and `manifest.json` with the run's facts. The one place
 * that knows the dataset's file layout. Returns the manifest written. Write into a temp folder
 * through `writeFolderAtomically` to replace a dataset whole.
 */
export async function writeDataset(folder: string, dataset: BuiltDataset, run: DatasetRunFacts): Promise<DatasetManifest> {
  const manifest = await createDatasetManifest(dataset, run);
  await describeWriteFailure(folder, async () => {
    for (const [name, { files }] of Object.entries(dataset.formats)) {
      for (const split of ['train', 'validation'] as const satisfies readonly DatasetSplit[]) await writeLines(join(folder, files[split]), dataset.lines(name, split));
      await writeLines(join(folder, rowsFilePath(files)), rowLabelLines(dataset, name));
    }
    const texts = [...dataset.sidecars, { path: 'manifest.json', text: `${JSON.stringify(manifest, null, 2)}\n` }];
    for (const { path, text } of texts) {
      await mkdir(dirname(join(folder, path)), { recursive: true });
      await writeFile(join(folder, path), text);
    }
  });
  return manifest;
}
