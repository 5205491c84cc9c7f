import { library } from '../../tsup.preset.ts';

// Four entries: the library (`runForge`, `main`), the command, which the bin loads without the
// library's static imports so `forge --help` stays fast, and the workers `forge run` and
// `forge stats` start (`dist/run-unit-worker.js`, `dist/summarize-unit-worker.js`, beside the
// chunks that load them).
export default library({ entry: { index: 'src/index.ts', main: 'src/main.ts', 'run-unit-worker': 'src/run/run-unit-worker.ts', 'summarize-unit-worker': 'src/commands/summarize-unit-worker.ts' } });
