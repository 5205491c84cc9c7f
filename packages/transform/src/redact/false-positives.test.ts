import { type Session } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { loadSessionFixture } from '../test-support/fixtures.js';
import { ordinaryCorpora, ordinaryNoise, redactedShare } from '../test-support/ordinary-sessions.js';

describe('redaction of ordinary coding sessions', () => {
  it('should take less than 0.5% of the characters of the demo and of the real fixtures', async () => {
    for (const [name, sessions] of Object.entries(await ordinaryCorpora())) {
      expect(sessions.length, name).toBeGreaterThan(3);
      const { characters, redacted, byRule } = await redactedShare(sessions);
      expect(characters, name).toBeGreaterThan(10_000);
      expect(redacted / characters, `${name}: ${redacted} of ${characters} characters (${JSON.stringify(byRule)})`).toBeLessThan(0.005);
    }
  });

  it('should keep hashes, uuids, versions, timestamps, base64 images, long numbers, ids, line numbers and IPs', async () => {
    const session: Session = loadSessionFixture('claude-fix-test.session.json');
    const noise = ordinaryNoise(3);
    session.messages = session.messages.map((message) => (message.toolResult == null ? message : { ...message, toolResult: { ...message.toolResult, text: noise } }));
    const { redacted, byRule } = await redactedShare([session]);
    expect(byRule).toEqual({});
    expect(redacted).toBe(0);
  });
});
