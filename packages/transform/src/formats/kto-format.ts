import { parseTrlKtoRecord, type TrlKtoRecord } from '@forge/schema';
import { type PreparedConversation, type PreparedTurn } from '../conversation/prepared-conversation.js';
import { type DatasetFormat } from './dataset-format.js';
import { toChatMessagesRecord } from './messages-format.js';
import { preferenceRowOf } from './preference-format.js';

/** A TRL KTOTrainer conversational row: the attempt's assignment as prompt, the rest as completion, and whether it closed the bead. */
export function toTrlKtoRecord(prompt: PreparedConversation, completion: readonly PreparedTurn[], label: boolean): TrlKtoRecord {
  return { prompt: toChatMessagesRecord(prompt).messages, completion: toChatMessagesRecord({ ...prompt, system: '', turns: [...completion] }).messages, label, tools: prompt.tools };
}

/** TRL unpaired preference (`prompt`, `completion`, `label`): one row per bead with a single attempt. */
export const ktoFormat: DatasetFormat<'kto'> = {
  name: 'kto',
  sessionRows: () => [],
  preferenceRow: preferenceRowOf((item) => (item.kind === 'single' ? JSON.stringify(parseTrlKtoRecord(toTrlKtoRecord(item.prompt, item.completion, item.single.label))) : undefined)),
  notes: () => ['one row per bead worked by a single attempt: label true when it closed the bead (first try or no-changes), false when it was reopened, re-dispatched or abandoned'],
  sidecars: () => [],
};
