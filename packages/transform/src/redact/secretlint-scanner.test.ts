import { createRequire } from 'node:module';
import { lintSource } from '@secretlint/core';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { describe, expect, it } from 'vitest';
import { plantedSecretValues } from '../test-support/planted-secrets.js';
import { slotSeparator } from './redaction-rule.js';
import { createRedactor } from './redactor.js';
import { ruleLiterals, scanWithSecretlint, secretlintRuleNames } from './secretlint-scanner.js';

const planted = plantedSecretValues();
const join = (...parts: string[]) => parts.join('');

/** One text per preset rule that the rule reports (case variants of the case-insensitive patterns too). */
const samples: Record<string, string> = {
  aws: `AWS_SECRET_ACCESS_KEY = "${planted['aws-secret']}"`,
  'aws-lower': `aws_secret_access_key: ${planted['aws-secret']}`,
  npm: `//registry.npmjs.org/:_authToken=${planted.npm!}`,
  slack: `SLACK=${planted.slack!}`,
  'slack-webhook': join('post to HTTPS://HOOKS.', 'SLACK.COM/services/T0123ABCD/B0123ABCD/', 'abcdefghijklmnopqrstuvwx'),
  basicauth: join('git clone https://deploy:', 'Xy7pQ2wzK9@git.example.net/repo.git'),
  openai: `OPENAI_API_KEY=${planted.openai!}`,
  anthropic: `key ${planted.anthropic!}`,
  linear: planted.linear!,
  privatekey: join('-----BEGIN RSA ', 'PRIVATE KEY-----\n', planted['private-key-body-lines']!, '\n-----END RSA ', 'PRIVATE KEY-----'),
  sendgrid: planted.sendgrid!,
  shopify: planted.shopify!,
  github: planted.github!,
  'github-fine-grained': join('github_', 'pat_', 'A1b2C3d4E5'.repeat(8), 'zz'),
  '1password': join('ops_', Buffer.from(JSON.stringify({ email: 'robot@1passwordserviceaccounts.lcl', muk: { alg: 'A256GCM', k: 'M8VPfIc8VEfThcMXLaKCKF8sMh5JMZsPAtu92fQNb' } })).toString('base64')),
  postgres: planted['database-connection-string']!,
  mongodb: join('MONGODB+SRV://app:', 'Tr0ub4dor3x@cluster0.example.net/db'),
  mysql: join('jdbc:mysql://root2:', 'hunter22x@10.0.0.5:3306/shop'),
};

/** Every preset rule (no `filter-comments`), ungated: what secretlint alone reports on the whole text. */
const everyRule = { rules: recommendedRules.filter((rule) => !rule.meta.id.endsWith('filter-comments')).map((rule) => ({ id: rule.meta.id, rule })) };
async function ungated(text: string): Promise<Array<[number, number, string]>> {
  const result = await lintSource({ source: { content: text, filePath: '/forge/transcript.txt', ext: '.txt', contentType: 'text' }, options: { config: everyRule, noPhysicFilePath: true } });
  return result.messages.map((message) => [message.range[0], message.range[1], message.ruleId.replace('@secretlint/secretlint-rule-', '')]);
}

function batch(slots: readonly string[]): { text: string; starts: number[] } {
  const starts: number[] = [];
  let length = 0;
  for (const slot of slots) {
    starts.push(length);
    length += slot.length + slotSeparator.length;
  }
  return { text: slots.join(slotSeparator), starts };
}

async function gated(slots: readonly string[]): Promise<Array<[number, number, string]>> {
  const { text, starts } = batch(slots);
  return (await scanWithSecretlint(text, starts)).map((match) => [match.start, match.end, match.rule]);
}

// Slots around the sample: literals of other rules (so those rules run too), a URL without
// credentials, text outside the Basic Multilingual Plane and combining marks before the sample.
const filler = ['plain words only', 'see https://example.com/docs for the secret handshake', '🔑 clé secrète — 秘密 ✓ e\u0301', '', 'ghp_ too short, npm_ too', 'SG.no'];

describe('scanWithSecretlint', () => {
  it('should hold literals for exactly the preset rules it runs (a new preset version: re-read every rule)', () => {
    const version = (createRequire(import.meta.url)('@secretlint/secretlint-rule-preset-recommend/package.json') as { version: string }).version;
    expect(version, 'ruleLiterals were read from preset-recommend 11.7.1: check each rule pattern against them, then update this version').toBe('11.7.1');
    expect(Object.keys(ruleLiterals).sort()).toEqual([...secretlintRuleNames].sort());
  });

  it.each(Object.entries(samples))('should report %s where secretlint on the whole batch does, at every place in the batch', async (_name, sample) => {
    const placements: string[][] = [
      [sample],
      [...filler, sample],
      [sample, ...filler],
      [filler[2]!, `${sample} trailing`, filler[1]!],
      [filler[1]!, `prefix: ${sample}`, filler[4]!, sample],
      ['\uFEFF' + sample, filler[0]!],
      [filler[0]!, '\uFEFF' + sample],
    ];
    for (const slots of placements) {
      const { text } = batch(slots);
      const expected = await ungated(text);
      expect(expected.length, `secretlint reports the sample in ${JSON.stringify(slots).slice(0, 80)}`).toBeGreaterThan(0);
      const found = await gated(slots);
      // secretlint reports in the text without a leading byte order mark: forge gives indices in the text it was given.
      const shift = text.startsWith('\uFEFF') ? 1 : 0;
      expect(found).toEqual(expected.map(([start, end, rule]) => [start + shift, end + shift, rule]));
    }
  });

  it('should find nothing in slots without any rule literal, nor in a secret cut across two slots', async () => {
    expect(await gated(filler)).toEqual([]);
    const github = planted.github!;
    expect(await gated([github.slice(0, 20), github.slice(20)])).toEqual([]);
    expect(await ungated(batch([github.slice(0, 20), github.slice(20)]).text)).toEqual([]);
  });

  it('should place every finding of a batch with many slots in its own slot, astral characters before it', async () => {
    const slots: string[] = [];
    for (let index = 0; index < 200; index += 1) slots.push(index % 37 === 0 ? `𝒳${index} ${Object.values(samples)[index % Object.keys(samples).length]!} 😀` : `line ${index} ${filler[index % filler.length]!}`);
    const { text } = batch(slots);
    expect(await gated(slots)).toEqual(await ungated(text));
  });
});

describe('createRedactor with the gated secretlint scan', () => {
  const redactor = createRedactor({ homeDirectory: '/home/alice', userName: 'alice' });

  it('should redact the exact span after a byte order mark, an emoji and combining marks', async () => {
    const { texts } = await redactor.redactTexts([`\uFEFF😀e\u0301 ${planted.github!} end`, `${planted.shopify!}`]);
    expect(texts).toEqual(['\uFEFF😀e\u0301 [REDACTED:github] end', '[REDACTED:shopify]']);
  });

  it('should redact overlapping findings of secretlint and forge rules as one span', async () => {
    // The connection string (secretlint) holds the URL password (forge's url-credentials).
    const text = `DATABASE_URL ${planted['database-connection-string']!} done`;
    const { texts, counts } = await redactor.redactTexts(['no secrets here', text]);
    expect(texts[0]).toBe('no secrets here');
    expect(texts[1]).toBe('DATABASE_URL [REDACTED:database-connection-string] done');
    expect(counts['database-connection-string']).toBe(1);
  });

  it('should redact secrets at the first and last character of slots', async () => {
    const { texts } = await redactor.redactTexts([planted.github!, `x ${planted.npm!}`, planted.linear!, 'https://example.com']);
    expect(texts).toEqual(['[REDACTED:github]', 'x [REDACTED:npm]', '[REDACTED:linear]', 'https://example.com']);
  });
});
