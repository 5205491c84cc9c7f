export { registerTrainingCapture } from './training-capture.js';
export type { TrainingCaptureOptions } from './training-capture.js';
export { registerOutcomeTagging, summarizeBeadOperations } from './outcome-tagging.js';
export type { OutcomeTaggingOptions } from './outcome-tagging.js';
export { findBeadCalls, settleBeadCall } from './bead-commands.js';
export type { BeadCall } from './bead-commands.js';
export type {
  ExtensionErrorHandler,
  ExtensionEvents,
  PiExtensionApi,
  ResultContentBlock,
  ToolCallEvent,
  ToolResultEvent,
  TurnEndEvent,
  TurnStartEvent,
} from './pi-extension-api.js';
export { bundledExtensionDir, defaultExtensionDir, extensionFileNames, extensionHarnesses, installExtensions } from './install-extensions.js';
export type { ExtensionHarness, InstalledExtensions, InstallExtensionsOptions } from './install-extensions.js';
export { ExtensionInstallError } from './extension-install-error.js';
export type { ExtensionInstallErrorCode } from './extension-install-error.js';
