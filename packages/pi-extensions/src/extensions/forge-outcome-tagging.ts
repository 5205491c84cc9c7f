// Entry of the bundled `forge-outcome-tagging.js` that pi and omp load from their extensions folder.
// The default export is the loaders' contract (pi: jiti `default`; omp: the module's default).
import { registerOutcomeTagging } from '../outcome-tagging.js';
import { type PiExtensionApi } from '../pi-extension-api.js';

export default function forgeOutcomeTagging(pi: PiExtensionApi): void {
  registerOutcomeTagging(pi, { onError: (error, event) => console.error(`[forge outcome-tagging] ${event}: ${String(error)}`) });
}
