import { readFileSync } from 'node:fs';
import { type Session } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { createDatasetBuilder } from '../dataset-builder.js';
import { fixturePath, loadSessionFixture } from '../test-support/fixtures.js';
import { createRedactor, RedactionError } from './redactor.js';

const planted = JSON.parse(readFileSync(fixturePath('planted-secrets.values.json'), 'utf8')) as Record<string, string>;
// The user name and home directory are checked separately (`~` and placeholders may sit next to them).
const secretValues = Object.entries(planted).filter(([rule]) => rule !== 'user-name' && rule !== 'home-directory');
const redaction = { homeDirectory: '/home/alice', userName: 'alice' };

function allStrings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) allStrings(item, into);
  else if (value != null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      into.push(key);
      allStrings(child, into);
    }
  }
  return into;
}

function expectNoSecret(texts: readonly string[]): void {
  const joined = texts.join('\n');
  for (const [rule, value] of secretValues) {
    // Check a 16-character core too: a partial redaction that leaves most of a key is a leak.
    const core = value.length > 24 ? value.slice(4, 20) : value;
    expect(joined.includes(value), `${rule} survived`).toBe(false);
    expect(joined.includes(core), `part of ${rule} survived`).toBe(false);
  }
  expect(joined).not.toMatch(/\/home\/alice/);
  expect(joined).not.toMatch(/\balice\b/i);
}

describe('createRedactor', () => {
  it('should remove every planted secret from messages, reasoning, tool arguments, tool output, title, tools and paths', async () => {
    const session = loadSessionFixture('planted-secrets.session.json');
    const { session: redacted, counts } = await createRedactor(redaction).redactSession(session);
    expectNoSecret(allStrings(redacted));
    for (const rule of ['github', 'slack', 'anthropic', 'openai', 'npm', 'sendgrid', 'shopify', 'linear', 'privatekey', 'jwt', 'aws-access-key-id', 'env-dump', 'secret-assignment', 'bearer-token', 'email', 'home-directory', 'user-name']) {
      expect(counts[rule], rule).toBeGreaterThan(0);
    }
    expect(redacted.title).toBe('Deploy with token [REDACTED:github]');
    expect(redacted.cwd).toBe('~/src/shop');
  });

  it('should keep tool arguments valid JSON with the same keys', async () => {
    const session = loadSessionFixture('planted-secrets.session.json');
    const { session: redacted } = await createRedactor(redaction).redactSession(session);
    const call = redacted.messages.flatMap((message) => message.toolCalls)[0]!;
    const parsed = JSON.parse(call.arguments) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['command', 'env', 'database']);
    expect(parsed.env).toEqual({ API_TOKEN: '[REDACTED:secret-assignment]' });
  });

  it('should not let a secretlint-disable comment inside a transcript switch detection off', async () => {
    const { texts } = await createRedactor(redaction).redactTexts([`// secretlint-disable\ntoken ${planted.github}\n// secretlint-enable`]);
    expect(texts[0]).toContain('[REDACTED:github]');
    expect(texts[0]).not.toContain(planted.github);
  });

  it('should leave ordinary code and prose alone', async () => {
    const text = 'const token = response.accessToken;\npassword: string;\nSee https://example.com/docs and run `npm test`.';
    const { texts, counts } = await createRedactor(redaction).redactTexts([text]);
    expect(texts[0]).toBe(text);
    expect(counts).toEqual({});
  });

  it('should redact a private key block cut off before its END line', async () => {
    const { texts } = await createRedactor(redaction).redactTexts([`key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW`]);
    expect(texts[0]).toBe('key:\n[REDACTED:private-key-block]');
  });

  it('should throw a RedactionError instead of returning unredacted content', async () => {
    const session = loadSessionFixture('omp-summary.session.json');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    session.messages[0]!.metadata = cyclic;
    await expect(createRedactor(redaction).redactSession(session)).rejects.toBeInstanceOf(RedactionError);
  });
});

describe('createDatasetBuilder redaction', () => {
  it('should emit no planted secret in any format', async () => {
    const builder = await createDatasetBuilder({ redaction, validationRatio: 0.5 });
    const result = await builder.addSession(loadSessionFixture('planted-secrets.session.json'));
    expect(result.status).toBe('accepted');
    const { formats, manifest } = builder.finish();
    const lines = Object.values(formats).flatMap((split) => [...split.train, ...split.validation]);
    expect(lines).toHaveLength(3);
    expectNoSecret(lines.flatMap((line) => allStrings(JSON.parse(line))));
    expectNoSecret(lines);
    expect(manifest.redactions.github).toBeGreaterThan(0);
  });

  it('should drop and report a session whose redaction throws', async () => {
    const builder = await createDatasetBuilder({ redaction });
    const session = loadSessionFixture('planted-secrets.session.json');
    const poisoned: Session = {
      ...session,
      messages: session.messages.map((message, index) =>
        index === 1
          ? Object.defineProperty({ ...message }, 'text', {
              enumerable: true,
              get() {
                throw new Error('unreadable text');
              },
            })
          : message,
      ),
    };
    const result = await builder.addSession(poisoned);
    expect(result).toEqual({ status: 'skipped', reason: 'redaction failed: unreadable text' });
    const { formats, manifest } = builder.finish();
    expect(Object.values(formats).every((split) => split.train.length + split.validation.length === 0)).toBe(true);
    expect(manifest.skipped).toEqual([{ kind: 'session', ref: 'claude-code:secrets-planted-1', reason: 'redaction failed: unreadable text' }]);
  });
});
