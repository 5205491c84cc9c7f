// Entry of the bundled `forge-training-capture.js` that pi and omp load from their extensions folder.
// The default export is the loaders' contract (pi: jiti `default`; omp: the module's default).
import { type PiExtensionApi } from '../pi-extension-api.js';
import { registerTrainingCapture } from '../training-capture.js';

export default function forgeTrainingCapture(pi: PiExtensionApi): void {
  registerTrainingCapture(pi, { onError: (error, event) => console.error(`[forge training-capture] ${event}: ${String(error)}`) });
}
