import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type DatasetWriter, type EmittedFormat } from '@forge/transform';

const flushBytes = 1024 * 1024;

/**
 * Writes the dataset's JSONL files as the builder hands out lines: `<format>/train.jsonl` and
 * `<format>/val.jsonl` under `folder`, buffered, every file created even when it stays empty.
 */
export function createDatasetFileWriter(folder: string, formats: readonly EmittedFormat[]): DatasetWriter & { close(): void } {
  const files = new Map<string, { descriptor: number; buffer: string[]; bytes: number }>();
  const relativePath = (format: EmittedFormat, split: 'train' | 'validation') => `${format}/${split === 'train' ? 'train' : 'val'}.jsonl`;
  for (const format of formats) {
    for (const split of ['train', 'validation'] as const) {
      const path = join(folder, relativePath(format, split));
      mkdirSync(dirname(path), { recursive: true });
      files.set(relativePath(format, split), { descriptor: openSync(path, 'w'), buffer: [], bytes: 0 });
    }
  }
  const flush = (file: { descriptor: number; buffer: string[]; bytes: number }) => {
    if (file.buffer.length === 0) return;
    writeSync(file.descriptor, file.buffer.join(''));
    file.buffer = [];
    file.bytes = 0;
  };
  return {
    write(format, split, line) {
      const file = files.get(relativePath(format, split));
      if (file == null) throw new Error(`no output file for ${format}/${split}`);
      file.buffer.push(line, '\n');
      file.bytes += line.length + 1;
      if (file.bytes >= flushBytes) flush(file);
    },
    close() {
      for (const file of files.values()) {
        flush(file);
        closeSync(file.descriptor);
      }
    },
  };
}
