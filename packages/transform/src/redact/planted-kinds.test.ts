import { describe, expect, it } from 'vitest';
import { plantedCorpus, secretCores } from '../test-support/planted-corpus.js';
import { createRedactor } from './redactor.js';

const redactor = createRedactor({ homeDirectory: '/home/alice', userName: 'alice' });

describe('createRedactor on the planted corpus, one kind at a time', () => {
  const kinds = plantedCorpus(11);

  it('should hold at least 40 kinds', () => {
    expect(new Set(kinds.map((kind) => kind.kind)).size).toBeGreaterThanOrEqual(40);
  });

  it.each(kinds.map((kind) => [kind.kind, kind] as const))('should redact %s in its own text', async (_name, kind) => {
    const { texts } = await redactor.redactTexts([kind.snippet]);
    for (const secret of kind.secrets) for (const part of secretCores(secret)) expect(texts[0], `${kind.kind}: ${part}`).not.toContain(part);
  });
});
