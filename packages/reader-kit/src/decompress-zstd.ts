import { Decompress } from 'fzstd';

/** The first four bytes of every zstd frame (RFC 8878 §3.1.1: 0xFD2FB528, little-endian). */
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;

/** Whether these bytes start a zstd frame (a `.zst` file), whatever the file is called. */
export function isZstd(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ZSTD_MAGIC.every((byte, index) => bytes[index] === byte);
}

/** Thrown out of fzstd's synchronous callback to stop once enough of a head came out. */
class EnoughOfTheHead extends Error {}

/**
 * A file's head as `SessionSourceReader.detect` should see it: the first bytes of a zstd file
 * decompressed (at most `maxBytes`, default the 64 KiB detect is given, as far as the compressed
 * head reaches; a head that ends inside the first block gives nothing), any other head unchanged.
 */
export function decompressedHead(head: Buffer, maxBytes = 64 * 1024): Buffer {
  if (!isZstd(head)) return head;
  const out: Uint8Array[] = [];
  let bytes = 0;
  const stream = new Decompress((block) => {
    out.push(block);
    bytes += block.length;
    // A 64 KiB head can inflate to gigabytes (runs of one byte): stop at what detect reads.
    if (bytes >= maxBytes) throw new EnoughOfTheHead();
  });
  try {
    stream.push(head);
  } catch {
    // Enough came out, or the head ends mid-block or is corrupt: keep what came out before.
  }
  return Buffer.concat(out).subarray(0, maxBytes);
}

/**
 * Decompresses a zstd stream (one or more frames) given as consecutive chunks, as decompressed
 * chunks (one per zstd block, at most 128 KiB each). Memory: the frame's window (set by the
 * writer: 2 MiB at Codex's level 3) plus what one input chunk inflates to. Each input chunk is
 * copied before fzstd sees it, so the caller may reuse its buffers. Throws fzstd's error for
 * corrupt input, and for input that ends inside a frame.
 */
export async function* decompressZstd(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Buffer> {
  let out: Buffer[] = [];
  const stream = new Decompress((block) => {
    if (block.length > 0) out.push(Buffer.from(block.buffer, block.byteOffset, block.length));
  });
  for await (const chunk of chunks) {
    // fzstd keeps the unfinished tail of a pushed chunk until the next push: give it its own copy.
    stream.push(Uint8Array.prototype.slice.call(chunk));
    const blocks = out;
    out = [];
    yield* blocks;
  }
  stream.push(new Uint8Array(0), true);
  yield* out;
}
