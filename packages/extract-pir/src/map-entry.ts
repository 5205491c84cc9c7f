import { isJsonObject, stringField, type JsonObject, type WarningLog } from '@forge/reader-kit';
import { type Message } from '@forge/schema';
import { mapPiMessage, summaryMessage, type EntrySource, type MappedMessage } from './map-message.js';

/** Entry types no reader maps to messages but that are part of the format (pi-family.md §2.3, claude-code.md §10.2). */
const KNOWN_SILENT_TYPES = new Set([
  'model_change',
  'label',
  'session_info',
  'custom',
  'service_tier_change',
  'title_change',
  'ttsr_injection',
  'credential_pin',
  'session_init',
  'mode_change',
  'model_usage',
  'reset_boundary',
]);

/** What one entry contributes: a context message, a compaction, or a thinking level change. */
export interface MappedEntry {
  /** The message this entry contributes to the context (message, custom_message, branch_summary). */
  mapped?: MappedMessage;
  /** For compaction entries: the summary message and where the kept tail starts. */
  compaction?: { message: Message; firstKeptEntryId: string | undefined; firstKeptEntryIndex: number | undefined };
  /** For thinking_level_change entries. */
  thinkingLevel?: string;
}

/** Maps one entry (its `type` a string). Unknown types become a counted warning; the entry stays in the tree. */
export function mapEntry(value: JsonObject, source: EntrySource, warnings: WarningLog): MappedEntry {
  const type = value.type as string;
  switch (type) {
    case 'message': {
      if (!isJsonObject(value.message)) {
        warnings.add('invalid-record', 'message entry without a message object', source.line);
        return {};
      }
      const mapped = mapPiMessage(value.message, source, warnings);
      return mapped == null ? {} : { mapped };
    }
    case 'custom_message': {
      // TS pi's extension message entry: mapped exactly like pir's `role:"custom"` message.
      const mapped = mapPiMessage({ role: 'custom', customType: value.customType, display: value.display, details: value.details, content: value.content }, source, warnings);
      return mapped == null ? {} : { mapped };
    }
    case 'branch_summary':
      return { mapped: { message: summaryMessage('branch', stringField(value, 'summary') ?? '', source) } };
    case 'compaction':
      return {
        compaction: {
          message: summaryMessage('compaction', stringField(value, 'summary') ?? '', source),
          firstKeptEntryId: stringField(value, 'firstKeptEntryId'),
          firstKeptEntryIndex: typeof value.firstKeptEntryIndex === 'number' ? value.firstKeptEntryIndex : undefined,
        },
      };
    case 'thinking_level_change': {
      const level = stringField(value, 'thinkingLevel');
      return level == null ? {} : { thinkingLevel: level };
    }
    default:
      if (!KNOWN_SILENT_TYPES.has(type)) warnings.addCounted('unknown-entry-type', type, `unknown entry type ${JSON.stringify(type)} (kept in the tree, no message)`, source.line);
      return {};
  }
}
