import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../test-support/planted-corpus.js';
import { RedactionError } from './redaction-error.js';
import { redactionConfigSchema, resolveRedactionConfig } from './redaction-config.js';
import { createRedactor } from './redactor.js';

const folder = mkdtempSync(join(tmpdir(), 'forge-redaction-config-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const random = seededRandom(42);
const base = { homeDirectory: '/home/alice', userName: 'alice' };

describe('redactionConfigSchema and resolveRedactionConfig', () => {
  it('should redact literal values read from a file and an environment variable, in their encoded forms too, and never echo them', async () => {
    const fromFile = `Corp-${random(10)}`;
    const fromEnv = `internal ${random(8)}`;
    writeFileSync(join(folder, 'values.txt'), `# project codenames and the staging password\n\n${fromFile}\n`);
    const config = redactionConfigSchema.parse({ literalValues: [{ file: 'values.txt' }, { env: 'FORGE_REDACT' }] });
    const options = resolveRedactionConfig(config, { baseDirectory: folder, env: { FORGE_REDACT: fromEnv } });
    const text = `${fromFile} / ${encodeURIComponent(fromEnv)} / ${Buffer.from(`x:${fromFile}`).toString('base64')} / ${fromEnv}`;
    const { texts, counts } = await createRedactor({ ...base, ...options }).redactTexts([text]);
    for (const value of [fromFile, fromEnv, encodeURIComponent(fromEnv)]) expect(texts[0]).not.toContain(value);
    expect(texts[0]).not.toContain(Buffer.from(`x:${fromFile}`).toString('base64').slice(4, 14));
    expect(counts['literal-value']).toBeGreaterThanOrEqual(4);
  });

  it('should fail closed on an unset variable and a too short value, naming where without the value', () => {
    const unset = redactionConfigSchema.parse({ literalValues: [{ env: 'FORGE_NOT_SET' }] });
    expect(() => resolveRedactionConfig(unset, { baseDirectory: folder, env: {} })).toThrow(/FORGE_NOT_SET.*not set/);
    writeFileSync(join(folder, 'short.txt'), 'long-enough-value\nab1\n');
    const short = redactionConfigSchema.parse({ literalValues: [{ file: 'short.txt' }] });
    try {
      resolveRedactionConfig(short, { baseDirectory: folder, env: {} });
      expect.unreachable();
    } catch (error) {
      expect(RedactionError.isInstance(error)).toBe(true);
      expect((error as RedactionError).code).toBe('redaction-config');
      expect((error as Error).message).toMatch(/short\.txt:2: line 2 holds a value of 3 characters/);
      expect((error as Error).message).not.toContain('ab1');
    }
  });

  it('should apply extra patterns and the allowlist, and reject patterns that cannot work', async () => {
    const config = redactionConfigSchema.parse({ extraPatterns: [{ name: 'ticket', pattern: 'ACME-[0-9]{6}' }], allowlist: ['ops@example.com', { pattern: 'AKIA[A-Z0-9]{12}TEST' }] });
    const options = resolveRedactionConfig(config, { baseDirectory: folder, env: {} });
    const keyId = ['AKIA', 'ABCDEFGHIJKL', 'TEST'].join('');
    const { texts, counts } = await createRedactor({ ...base, ...options }).redactTexts([`See ACME-123456, mail ops@example.com or bob@example.com, key ${keyId}`]);
    expect(texts[0]).toBe(`See [REDACTED:ticket], mail ops@example.com or [REDACTED:email], key ${keyId}`);
    expect(counts).toEqual({ ticket: 1, email: 1 });
    expect(() => resolveRedactionConfig(redactionConfigSchema.parse({ extraPatterns: [{ name: 'broken', pattern: '([a-z' }] }), { baseDirectory: folder, env: {} })).toThrow(/extra pattern "broken" is not a valid regular expression/);
    expect(() => resolveRedactionConfig(redactionConfigSchema.parse({ extraPatterns: [{ name: 'empty', pattern: 'x*' }] }), { baseDirectory: folder, env: {} })).toThrow(/matches the empty string/);
    expect(redactionConfigSchema.safeParse({ values: ['inline secrets are not a key'] }).success).toBe(false);
  });

  it('should switch phone numbers and payment cards off when asked', async () => {
    const options = resolveRedactionConfig(redactionConfigSchema.parse({ phoneNumbers: false, paymentCards: false }), { baseDirectory: folder, env: {} });
    const text = 'Call +44 20 7946 0958 about card 4111 1111 1111 1111.';
    expect((await createRedactor({ ...base, ...options }).redactTexts([text])).texts[0]).toBe(text);
    expect((await createRedactor(base).redactTexts([text])).texts[0]).toBe('Call [REDACTED:phone-number] about card [REDACTED:payment-card].');
  });
});
