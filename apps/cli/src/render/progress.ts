import { SingleBar } from 'cli-progress';
import { type CliIo } from '../cli-io.js';

/** Progress over files and bytes: a bar with rate and ETA on a TTY, a few plain lines otherwise. */
export interface Progress {
  start(label: string, totalFiles: number, totalBytes: number): void;
  advance(bytes: number): void;
  stop(): void;
}

const megabyte = 1024 * 1024;

export function createProgress(io: CliIo, { quiet }: { quiet: boolean }): Progress {
  if (quiet) return { start() {}, advance() {}, stop() {} };
  if (io.stderr.isTTY === true) return createBarProgress(io);
  return createLineProgress(io);
}

function createBarProgress(io: CliIo): Progress {
  let bar: SingleBar | undefined;
  let files = 0;
  let bytes = 0;
  let startedAt = 0;
  return {
    start(label, totalFiles, totalBytes) {
      files = 0;
      bytes = 0;
      startedAt = Date.now();
      bar = new SingleBar({
        stream: io.stderr,
        format: `${label} {bar} {percentage}% | {megabytes}/{totalMegabytes} MB | {files}/{totalFiles} files | {rate} MB/s | ETA {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      });
      bar.start(Math.max(totalBytes, 1), 0, {
        files: 0,
        totalFiles,
        megabytes: '0.0',
        totalMegabytes: (totalBytes / megabyte).toFixed(1),
        rate: '0.0',
      });
    },
    advance(fileBytes) {
      files += 1;
      bytes += fileBytes;
      const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
      bar?.update(bytes, { files, megabytes: (bytes / megabyte).toFixed(1), rate: (bytes / megabyte / seconds).toFixed(1) });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** Not a TTY (CI logs, pipes): a start line, then at most one line every 10 seconds. */
function createLineProgress(io: CliIo, intervalMs = 10_000): Progress {
  let label = '';
  let totalFiles = 0;
  let totalBytes = 0;
  let files = 0;
  let bytes = 0;
  let lastReport = 0;
  return {
    start(newLabel, newTotalFiles, newTotalBytes) {
      label = newLabel;
      totalFiles = newTotalFiles;
      totalBytes = newTotalBytes;
      files = 0;
      bytes = 0;
      lastReport = Date.now();
      io.stderr.write(`${label}: ${newTotalFiles} files, ${(newTotalBytes / megabyte).toFixed(1)} MB\n`);
    },
    advance(fileBytes) {
      files += 1;
      bytes += fileBytes;
      const now = Date.now();
      if (now - lastReport >= intervalMs && files < totalFiles) {
        lastReport = now;
        io.stderr.write(`${label}: ${files}/${totalFiles} files, ${(bytes / megabyte).toFixed(1)}/${(totalBytes / megabyte).toFixed(1)} MB\n`);
      }
    },
    stop() {},
  };
}
