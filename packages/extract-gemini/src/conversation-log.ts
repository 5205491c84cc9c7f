import { isJsonObject, stringField, type JsonObject, type WarningLog } from '@forge/reader-kit';

/** The session facts of a chat file (`ConversationRecord` without its messages, gemini-cli.md §2.1). */
export interface ChatMetadata {
  sessionId?: string;
  projectHash?: string;
  startTime?: string;
  lastUpdated?: string;
  summary?: string;
  kind?: string;
  directories?: string[];
}

/** What a rewritten copy of a Gemini answer can lose. */
interface ResponseFacts {
  tokens?: unknown;
  model?: unknown;
  thoughts?: unknown;
}

const metadataKeys = ['sessionId', 'projectHash', 'startTime', 'lastUpdated', 'summary', 'kind'] as const;

/**
 * Replays a chat file's records the way Gemini CLI's own loader does (gemini-cli.md §2.2): a record
 * with an `id` is a message (a later record with the same id replaces it in place: tool calls and
 * usage are added that way), `{"$set": …}` updates the metadata (and with `messages`, replaces the
 * whole list), `{"$rewindTo": id}` drops that message and everything after it.
 */
export class ConversationLog {
  readonly metadata: ChatMetadata = {};
  readonly messages = new Map<string, { record: JsonObject; line: number }>();
  /**
   * The usage, model and thoughts last recorded per message id. Gemini CLI rewrites the list from
   * the API history when it resumes (`$set.messages`), and those copies lack them (gemini-cli.md §2.3).
   */
  readonly #responseFacts = new Map<string, ResponseFacts>();
  readonly #warnings: WarningLog;

  constructor(warnings: WarningLog) {
    this.#warnings = warnings;
  }

  add(value: unknown, line: number): void {
    if (!isJsonObject(value)) {
      this.#warnings.add('invalid-record', 'a chat record that is not a JSON object (skipped)', line);
      return;
    }
    const rewindTo = stringField(value, '$rewindTo');
    if (rewindTo != null) {
      this.#rewind(rewindTo);
      return;
    }
    if (typeof value.id === 'string') {
      this.#setMessage(value.id, value, line);
      return;
    }
    if (isJsonObject(value.$set)) {
      this.#merge(value.$set, line);
      return;
    }
    if (typeof value.sessionId === 'string' && typeof value.projectHash === 'string') {
      // The first line (or a whole pre-JSONL record read as one value).
      this.#merge(value, line);
      return;
    }
    this.#warnings.addCounted('unknown-entry-type', 'record', 'a chat record that is neither a message, `$set` nor `$rewindTo` (skipped)', line);
  }

  #setMessage(id: string, record: JsonObject, line: number): void {
    const known: ResponseFacts = this.#responseFacts.get(id) ?? {};
    const facts = {
      tokens: isJsonObject(record.tokens) ? record.tokens : known.tokens,
      model: typeof record.model === 'string' ? record.model : known.model,
      thoughts: Array.isArray(record.thoughts) && record.thoughts.length > 0 ? record.thoughts : known.thoughts,
    };
    if (record.type === 'gemini') this.#responseFacts.set(id, facts);
    const restored = record.type === 'gemini' ? { ...record, ...Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined)) } : record;
    this.messages.set(id, { record: restored, line });
  }

  #merge(update: JsonObject, line: number): void {
    for (const key of metadataKeys) {
      const value = stringField(update, key);
      // A resume opens the file again with a new start-up record: the first start time stays.
      if (value != null && !(key === 'startTime' && this.metadata.startTime != null)) this.metadata[key] = value;
    }
    if (Array.isArray(update.directories)) this.metadata.directories = update.directories.filter((entry): entry is string => typeof entry === 'string');
    if (!Array.isArray(update.messages)) return;
    this.messages.clear();
    for (const message of update.messages as unknown[]) {
      if (isJsonObject(message) && typeof message.id === 'string') this.#setMessage(message.id, message, line);
    }
  }

  #rewind(id: string): void {
    let found = false;
    for (const key of [...this.messages.keys()]) {
      if (key === id) found = true;
      if (found) this.messages.delete(key);
    }
    // Gemini CLI empties the conversation when the id is not in it.
    if (!found) this.messages.clear();
  }
}
