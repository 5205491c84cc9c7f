import { library } from '../../tsup.preset.ts';

// Three entries: the library (`runForge`, `main`), the command, which the bin loads without the
// library's static imports so `forge --help` stays fast, and the worker `forge run` starts
// (`dist/run-unit-worker.js`, beside the chunks that load it).
export default library({ entry: { index: 'src/index.ts', main: 'src/main.ts', 'run-unit-worker': 'src/run/run-unit-worker.ts' } });
