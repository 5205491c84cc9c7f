import { type Session } from '@forge/schema';
import { prepareConversation, type PrepareConversationOptions } from '../conversation/prepare-conversation.js';
import { type PreparedConversation } from '../conversation/prepared-conversation.js';

/** Prepares a fixture session, failing the test when it has nothing to train on. */
export function preparedOrThrow(session: Session, options?: PrepareConversationOptions): PreparedConversation {
  const result = prepareConversation(session, options);
  if (!result.ok) throw new Error(`fixture ${session.id} has no conversation: ${result.reason}`);
  return result.conversation;
}
