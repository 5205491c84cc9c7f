import { type Session } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { createDatasetBuilder } from '../dataset-builder.js';
import { loadSessionFixture } from '../test-support/fixtures.js';
import { plantedSecretValues } from '../test-support/planted-secrets.js';
import { createRedactor, RedactionError } from './redactor.js';

const planted = plantedSecretValues();
// The user name and home directory are checked separately (`~` and placeholders may sit next to them).
const secretValues = Object.entries(planted).filter(([rule]) => !['user-name', 'home-directory', 'private-key-body-lines'].includes(rule));
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
  for (const line of planted['private-key-body-lines']!.split('\n')) expect(joined.includes(line), 'a private key line survived').toBe(false);
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

  it('should copy only what it redacts, leave its input as it was, and drop __proto__ keys as a copy does', async () => {
    const session = loadSessionFixture('planted-secrets.session.json');
    session.messages.push({ role: 'user', text: 'nothing secret here', reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation' });
    // A metadata key named __proto__ (JSON.parse makes it an own key) is left out, as it always was.
    const metadata = JSON.parse('{"plain":"kept","__proto__":{"polluted":"no"}}') as Record<string, unknown>;
    session.messages.push({ role: 'user', text: 'with metadata', reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation', metadata });
    const before = structuredClone(session);
    const { session: redacted } = await createRedactor(redaction).redactSession(session);
    expect(session).toEqual(before);
    expect(redacted.messages.at(-2)).toBe(session.messages.at(-2));
    expect(redacted.messages[0]).not.toBe(session.messages[0]);
    expect(JSON.stringify(redacted.messages.at(-1)!.metadata)).toBe('{"plain":"kept"}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
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
    const text = 'const token = response.accessToken;\npassword: string;\nNODE_ENV=production\nSee https://example.com/docs and run `npm test`.';
    const { texts, counts } = await createRedactor(redaction).redactTexts([text]);
    expect(texts[0]).toBe(text);
    expect(counts).toEqual({});
  });

  it('should redact secrets in every batch when a session is larger than one secretlint pass', async () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(350_000);
    const texts = [`${filler}${planted.github}`, `${filler}${planted.slack}`, `short ${planted.npm}`];
    const { texts: redacted, counts } = await createRedactor(redaction).redactTexts(texts);
    expect(redacted[0]!.endsWith('[REDACTED:github]')).toBe(true);
    expect(redacted[1]!.endsWith('[REDACTED:slack]')).toBe(true);
    expect(redacted[2]).toBe('short [REDACTED:npm]');
    expect(counts).toEqual({ github: 1, slack: 1, npm: 1 });
  });

  it('should redact OpenAI project, service-account and admin keys without the T3BlbkFJ marker', async () => {
    // Built at run time: no secret-shaped literal in the repository.
    const body = 'Vb7Nm2Qx9Lk4Jh6Gf1Ds8Az3Pw5Oe0Iu2Yt8Rr4Ee7Ww1';
    const keys = ['proj', 'svcacct', 'admin'].map((kind) => `sk-${kind}-${body}`);
    const { texts, counts } = await createRedactor(redaction).redactTexts(keys.map((key) => `export OPENAI=${key} # and again: ${key}`));
    for (const [index, text] of texts.entries()) expect(text, keys[index]).not.toContain(body);
    expect(counts['openai-style-key']).toBeGreaterThanOrEqual(3);
  });

  it('should redact a secret named in prose, and leave prose without one alone', async () => {
    const value = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYzQ9vT3kLmN'].join('/');
    const { texts } = await createRedactor(redaction).redactTexts([`AWS key id and secret ${value} for the deploy`, 'my token is 7f3a9c2e4b1d8f6a0c5e', 'the secret to good tests is patience']);
    expect(texts[0]).not.toContain(value);
    expect(texts[1]).toBe('my token is [REDACTED:secret-mention]');
    expect(texts[2]).toBe('the secret to good tests is patience');
  });

  it('should redact a private key block cut off before its END line', async () => {
    const { texts } = await createRedactor(redaction).redactTexts([`key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW`]);
    expect(texts[0]).toBe('key:\n[REDACTED:private-key-block]');
  });

  it('should end a cut private key block at the end of its own text, not in the texts after it', async () => {
    const { texts } = await createRedactor(redaction).redactTexts(['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE', 'ls -la', 'cat README.md']);
    expect(texts).toEqual(['[REDACTED:private-key-block]', 'ls -la', 'cat README.md']);
  });

  it('should redact a value found in one text wherever else it appears, encoded or not', async () => {
    const password = 'Zq7#Lm2$Wx9!';
    const { texts, counts } = await createRedactor(redaction).redactTexts([
      `DATABASE_URL=postgres://app:${password}@db.internal:5432/app`,
      `It is ${password} again.`,
      `login?pw=${encodeURIComponent(password)}&next=1`,
      `echo ${Buffer.from(`app:${password}`).toString('base64')} | base64 -d`,
    ]);
    for (const text of texts) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(encodeURIComponent(password));
    }
    expect(texts[3]).not.toContain(Buffer.from(`app:${password}`).toString('base64').slice(4, 16));
    expect(Object.values(counts).reduce((total, count) => total + count, 0)).toBeGreaterThanOrEqual(4);
  });

  it('should throw a RedactionError instead of returning unredacted content', async () => {
    const session = loadSessionFixture('omp-summary.session.json');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    session.messages[0]!.metadata = cyclic;
    const failure: unknown = await createRedactor(redaction).redactSession(session).catch((error: unknown) => error);
    expect(RedactionError.isInstance(failure)).toBe(true);
    expect((failure as RedactionError).code).toBe('redaction-failed');
  });
});

/** Each planted secret in the context its rule needs (a `.env` block, a PEM block, a URL…). */
function plantedSnippets(): Array<[string, string, string]> {
  const pem = `-----BEGIN RSA PRIVATE KEY-----\n${planted['private-key-body-lines']}\n-----END RSA PRIVATE KEY-----`;
  const contexts: Record<string, string> = {
    'aws-secret': `aws_secret_access_key = "${planted['aws-secret']}"`,
    'private-key-body': pem,
    'secret-assignment': `export STRIPE_SECRET_KEY=${planted['secret-assignment']}`,
    'env-dump-value': `NODE_ENV=production\nSIGNING=${planted['env-dump-value']}\nPORT=8080`,
    'sensitive-json-key': `API_TOKEN: ${planted['sensitive-json-key']}`,
    bearer: `Authorization: Bearer ${planted.bearer}`,
    'url-password': `https://deploy:${planted['url-password']}@ci.example.com/hook`,
  };
  return secretValues.map(([rule, value]) => [rule, value, contexts[rule] ?? `the value is ${value} here`]);
}

describe('createDatasetBuilder redaction of every rule family in every place', () => {
  it('should emit no secret planted in a message, tool arguments, tool output and the title', async () => {
    const builder = await createDatasetBuilder({ redaction, validationRatio: 0, dedup: { exact: false, nearDuplicates: false } });
    const template = loadSessionFixture('omp-summary.session.json');
    for (const [rule, , snippet] of plantedSnippets()) {
      const session = structuredClone(template);
      session.id = `planted-${rule}`;
      session.title = `Title with ${snippet}`;
      session.messages[0]!.text = `Please look at this:\n${snippet}`;
      session.messages[1]!.toolCalls[0]!.arguments = JSON.stringify({ path: 'README.md', note: snippet, nested: { list: [snippet] } });
      session.messages[2]!.toolResult!.text = `output:\n${snippet}\nend`;
      const { session: redacted } = await createRedactor(redaction).redactSession(session);
      expect(redacted.title, rule).not.toContain(planted[rule]!);
      expect(await builder.addSession(session), rule).toMatchObject({ status: 'accepted' });
    }
    const { formats } = builder.finish();
    const lines = Object.values(formats).flatMap((split) => split.train);
    expect(lines).toHaveLength(plantedSnippets().length * 3);
    expectNoSecret(lines.flatMap((line) => allStrings(JSON.parse(line))));
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

describe('createRedactor on a session with very many findings', () => {
  it('should redact 300,000 findings in one text without overflowing the call stack', async () => {
    const text = '/home/alice/x '.repeat(300_000);
    const { texts, counts } = await createRedactor(redaction).redactTexts([text]);
    expect(counts['home-directory']).toBe(300_000);
    expect(texts[0]).toBe('~/x '.repeat(300_000));
  });
});

describe('createRedactor on a session of more than two batches', () => {
  it('should redact a value found in the first batch where it repeats in the last', async () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(350_000);
    const password = 'Vq8-Lm3-Xz7-Rt2';
    const { texts } = await createRedactor(redaction).redactTexts([`${filler}\npostgres://app:${password}@db:5432/app`, filler, `${filler}\nremember ${password}`]);
    expect(texts[0]!.endsWith(`postgres://app:${password}@db:5432/app`)).toBe(false);
    expect(texts[2]!.endsWith('remember [REDACTED:url-credentials]') || texts[2]!.endsWith('remember [REDACTED:database-connection-string]')).toBe(true);
  });
});
