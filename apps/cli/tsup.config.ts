import { library } from '../../tsup.preset.ts';

// Two entries: the library (`runForge`, `main`) and the command, which the bin loads without the
// library's static imports so `forge --help` stays fast.
export default library({ entry: ['src/index.ts', 'src/main.ts'] });
