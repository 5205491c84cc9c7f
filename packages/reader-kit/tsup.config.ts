import { library } from '../../tsup.preset.ts';

// The pool worker is its own entry: tinypool loads it by file URL next to index.js.
export default library({ entry: ['src/index.ts', 'src/reader-worker.ts'] });
