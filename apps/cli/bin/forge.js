#!/usr/bin/env node
// The published entry: everything lives in dist/; the command loads each subcommand lazily so `forge --help` stays fast.
const { main } = await import('../dist/main.js');
process.exitCode = await main(process.argv.slice(2));
