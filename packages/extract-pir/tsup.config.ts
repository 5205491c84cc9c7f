import { library } from '../../tsup.preset.ts';

// The pool worker is its own entry: worker_threads loads it by file URL next to index.js.
export default library({ entry: ['src/index.ts', 'src/pool-worker.ts'] });
