import { library } from '../../tsup.preset.ts';

// The worker entry is built beside index.js: worker-pool.ts starts it by URL.
export default library({ entry: ['src/index.ts', 'src/extract-worker.ts'] });
