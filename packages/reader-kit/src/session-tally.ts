import { addUsage, emptyUsage, type GasTownContext, type Message, type Usage } from '@forge/schema';
import { detectGasTown } from './detect-gastown.js';

/**
 * A Session's totals, gathered from its messages in order as they stream past: usage summed, the
 * models that answered (first use first), the thinking levels messages carry, and the first prompt
 * (the first user message typed by a person or a Gas Town beacon), which the Gas Town context reads.
 */
export class SessionTally {
  usage: Usage = emptyUsage();
  readonly models: string[] = [];
  readonly thinkingLevels: string[] = [];
  firstUserText: string | undefined;

  add(message: Message): void {
    if (message.usage != null) this.usage = addUsage(this.usage, message.usage);
    if (message.model != null && !this.models.includes(message.model)) this.models.push(message.model);
    if (message.thinkingLevel != null && !this.thinkingLevels.includes(message.thinkingLevel)) this.thinkingLevels.push(message.thinkingLevel);
    if (this.firstUserText == null && message.role === 'user' && (message.provenance === 'conversation' || message.provenance === 'gastown-beacon')) this.firstUserText = message.text;
  }

  /** The Gas Town context of the session: its working directory, first prompt and git branch. */
  gastown(cwd: string, gitBranch?: string): GasTownContext | undefined {
    return detectGasTown({ cwd, ...(this.firstUserText == null ? {} : { firstUserText: this.firstUserText }), ...(gitBranch == null ? {} : { gitBranch }) });
  }
}
