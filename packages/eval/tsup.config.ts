import { library } from '../../tsup.preset.ts';

export default library({ entry: ['src/index.ts'] });
