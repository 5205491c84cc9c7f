#!/usr/bin/env node
// The published entry: everything lives in dist/, loaded lazily so `forge --help` stays fast.
const { main } = await import('../dist/index.js');
process.exitCode = await main(process.argv.slice(2));
