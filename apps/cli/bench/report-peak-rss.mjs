// Preloaded into the benchmarked process: writes its peak RSS (KiB) to a file when it exits.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.FORGE_BENCH_RSS_FILE) writeFileSync(process.env.FORGE_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
