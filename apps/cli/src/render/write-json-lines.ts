import { once } from 'node:events';
import { type Writable } from 'node:stream';

/** Writes values as JSON Lines, waiting for the stream to drain so large outputs stay bounded. */
export async function writeJsonLines(stream: Writable, values: Iterable<unknown>): Promise<void> {
  for (const value of values) {
    if (!stream.write(`${JSON.stringify(value)}\n`)) await once(stream, 'drain');
  }
}
