import { decodedCredentials } from './keyed-values.js';
import { secretPlaceholder, type RedactionMatch, type RedactionRule } from './redaction-rule.js';

/** A secret format found from a literal prefix; `group` picks the secret inside the match, `reveal` what it holds in another form. */
interface KeyFormat {
  name: string;
  pattern: string;
  group?: number;
  reveal?: (secret: string) => string[];
  /** A check on the secret found, for formats whose pattern alone also takes ordinary words. */
  accept?: (secret: string) => boolean;
}

/**
 * Secret and private key formats beyond secretlint's recommend preset, from each issuer's
 * documented prefix. (secretlint's other rule packages do not fit: secp256k1-privatekey flags
 * every 64-digit hex hash, no-k8s-kind-secret flags whole `.yaml` files.) These start at a word
 * boundary.
 */
const wordFormats: readonly KeyFormat[] = [
  { name: 'jwt', pattern: 'eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}' },
  { name: 'aws-access-key-id', pattern: 'A(?:KIA|SIA|BIA|CCA)[A-Z0-9]{16}\\b' },
  // secretlint knows OpenAI keys only by their `T3BlbkFJ` marker; project, service-account and
  // admin keys pasted in a shortened or newer shape still start with their prefix.
  { name: 'openai-style-key', pattern: 'sk-(?:proj-|svcacct-|admin-)[A-Za-z0-9_-]{24,}' },
  { name: 'openrouter', pattern: 'sk-or-v1-[a-f0-9]{64}\\b' },
  ...['Bearer', 'Token'].map((scheme) => ({ name: 'bearer-token', pattern: `${scheme}\\s+([A-Za-z0-9._~+/=-]{16,})`, group: 1 })),
  // `Authorization: Basic dXNlcjpwYXNz`: the base64 `user:password`, decoded so the password is redacted elsewhere too.
  // Only when it decodes to `user:password`: `Basic Authentication` is prose.
  { name: 'basic-auth', pattern: 'Basic\\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])', group: 1, reveal: decodedCredentials, accept: (secret) => decodedCredentials(secret)[0]?.includes(':') === true },
  // age (age-encryption.org/v1): Bech32 secret keys and plugin identities.
  { name: 'age-secret-key', pattern: 'AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}\\b' },
  { name: 'age-secret-key', pattern: 'AGE-PLUGIN-[A-Z0-9]+-1[02-9AC-HJ-NP-Z]{20,}\\b' },
  // Nostr nsec, BIP-32 extended private keys.
  { name: 'nostr-secret-key', pattern: 'nsec1[02-9ac-hj-np-z]{58}\\b' },
  ...['x', 'y', 'z', 't', 'u', 'v'].map((version) => ({ name: 'bip32-private-key', pattern: `${version}prv[1-9A-HJ-NP-Za-km-z]{100,112}\\b` })),
  { name: 'gitlab', pattern: 'gl(?:pat|dt|ptt|rt|oas|cbt|ffct|imt|soat|agent)-[A-Za-z0-9_-]{20,}' },
  { name: 'huggingface', pattern: 'hf_[A-Za-z]{34,}\\b' },
  { name: 'google-api-key', pattern: 'AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])' },
  { name: 'google-oauth', pattern: 'GOCSPX-[A-Za-z0-9_-]{28,}' },
  { name: 'google-oauth', pattern: 'ya29\\.[A-Za-z0-9_-]{30,}' },
  { name: 'google-oauth', pattern: '1\\/\\/0[A-Za-z0-9_-]{40,}' },
  ...['sk', 'rk'].map((kind) => ({ name: 'stripe', pattern: `${kind}_(?:live|test)_[A-Za-z0-9]{20,}` })),
  { name: 'stripe', pattern: 'whsec_[A-Za-z0-9+/=]{24,}' },
  { name: 'vault-token', pattern: 'hv[sbr]\\.[A-Za-z0-9_-]{24,}' },
  { name: 'terraform-cloud', pattern: 'atlasv1\\.[A-Za-z0-9_=-]{60,}' },
  { name: 'digitalocean', pattern: 'do[opr]_v1_[a-f0-9]{64}\\b' },
  { name: 'databricks', pattern: 'dapi[a-f0-9]{32}(?:-\\d)?\\b' },
  { name: 'pypi', pattern: 'pypi-AgE[A-Za-z0-9_-]{50,}' },
  { name: 'docker-hub', pattern: 'dckr_pat_[A-Za-z0-9_-]{20,}' },
  { name: 'tailscale', pattern: 'tskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9]+-[A-Za-z0-9]{20,}' },
  { name: 'doppler', pattern: 'dp\\.(?:st|pt|ct|sa|scim|audit)\\.[A-Za-z0-9_.-]{40,}' },
  { name: 'postman', pattern: 'PMAK-[a-f0-9]{24}-[a-f0-9]{34}\\b' },
  { name: 'grafana', pattern: 'glsa_[A-Za-z0-9]{32}_[a-f0-9]{8}\\b' },
  { name: 'grafana', pattern: 'glc_[A-Za-z0-9+/]{32,}={0,2}' },
  { name: 'newrelic', pattern: 'NR(?:AK|II|JS)-[A-Za-z0-9]{19,}\\b' },
  { name: 'atlassian', pattern: 'ATATT3[A-Za-z0-9_=-]{100,}' },
  { name: 'sentry', pattern: 'sntr[ysu]_[A-Za-z0-9+/=_-]{40,}' },
  { name: 'supabase', pattern: 'sbp_[a-f0-9]{40}\\b' },
  { name: 'supabase', pattern: 'sb_secret_[A-Za-z0-9_-]{20,}' },
  { name: 'flyio', pattern: 'fo1_[A-Za-z0-9_-]{40,}' },
  { name: 'flyio', pattern: 'FlyV1 fm[12][ar]?_[A-Za-z0-9+/=_,-]{50,}' },
  { name: 'netlify', pattern: 'nfp_[A-Za-z0-9]{36,}\\b' },
  { name: 'pulumi', pattern: 'pul-[a-f0-9]{40}\\b' },
  { name: 'mailgun', pattern: 'key-[0-9a-f]{32}\\b' },
  { name: 'twilio', pattern: 'SK[0-9a-f]{32}\\b' },
  { name: 'groq', pattern: 'gsk_[A-Za-z0-9]{48,}\\b' },
  { name: 'replicate', pattern: 'r8_[A-Za-z0-9]{37,}\\b' },
  { name: 'perplexity', pattern: 'pplx-[A-Za-z0-9]{40,}\\b' },
  { name: 'xai', pattern: 'xai-[A-Za-z0-9]{70,}\\b' },
  // `123456789:AA…`: the token after the bot id (checked behind, so the pass starts at the literal `AA`).
  { name: 'telegram-bot-token', pattern: 'AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])(?<=\\d{8,10}:AA[A-Za-z0-9_-]{33})' },
];

/** Formats found from a longer context (a comment line, a header, a URL) that need not start a word. */
const contextFormats: readonly KeyFormat[] = [
  // minisign / signify secret keys: the base64 line after the untrusted comment.
  { name: 'signing-secret-key', pattern: 'untrusted comment: [^\\n]{0,80}secret key\\r?\\n([A-Za-z0-9+/=]{40,})', group: 1 },
  // PuTTY .ppk: the private lines.
  { name: 'putty-private-key', pattern: 'Private-Lines: \\d+\\r?\\n((?:[A-Za-z0-9+/=]{1,80}\\r?\\n?)+)', group: 1 },
  // Password hashes (bcrypt, crypt(3) SHA-256/512 and MD5, Apache MD5): crackable, never training data.
  { name: 'password-hash', pattern: '\\$(?:2[abxy]?\\$\\d\\d\\$[./A-Za-z0-9]{53}|(?:5|6|apr1|1)\\$(?:rounds=\\d+\\$)?[./A-Za-z0-9]{1,16}\\$[./A-Za-z0-9]{22,86})' },
  { name: 'discord-webhook', pattern: 'discord(?:app)?\\.com\\/api\\/webhooks\\/\\d+\\/([A-Za-z0-9_-]{60,})', group: 1 },
  // Signed URLs: the signature and session token let anyone fetch the object.
  { name: 'signed-url', pattern: '[?&](?:X-Amz-Signature|X-Amz-Security-Token|X-Goog-Signature|sig)=([A-Za-z0-9%/+=._-]{20,})', group: 1 },
];

/**
 * `(?:A(?:GE-…|Iza…)|g(?:l…|sk_…)|…)`: the formats in one alternation, those with the same first
 * literal character sharing one branch. One pass over the text for all of them (one pass per
 * format cost more than secretlint's whole preset).
 */
function factoredAlternation(formats: readonly KeyFormat[], prefix: string): RegExp {
  const byFirst = new Map<string, string[]>();
  for (const { pattern } of formats) {
    const first = /^[A-Za-z0-9]/.test(pattern) ? pattern[0]! : pattern;
    byFirst.set(first, [...(byFirst.get(first) ?? []), first === pattern ? '' : pattern.slice(1)]);
  }
  const branches = [...byFirst].map(([first, rests]) => (first.length > 1 ? first : `${first}(?:${rests.join('|')})`));
  return new RegExp(`${prefix}(?:${branches.join('|')})`, 'g');
}

/** One pass finds where some format matches; the first format that matches there names the hit and gives its extent. */
function keyFormatRule(name: string, formats: readonly KeyFormat[], prefix: string): RedactionRule {
  const pass = factoredAlternation(formats, prefix);
  const anchored = formats.map((format) => ({ ...format, at: new RegExp(format.pattern, 'yd') }));
  return {
    name,
    find(text) {
      const matches: RedactionMatch[] = [];
      pass.lastIndex = 0;
      for (let found = pass.exec(text); found != null; found = pass.exec(text)) {
        for (const format of anchored) {
          format.at.lastIndex = found.index;
          const match = format.at.exec(text);
          if (match == null) continue;
          const [start, end] = match.indices![format.group ?? 0]!;
          if (format.accept != null && !format.accept(text.slice(start, end))) continue;
          const alsoRedact = format.reveal?.(text.slice(start, end)) ?? [];
          matches.push({ start, end, rule: format.name, replacement: secretPlaceholder(format.name), ...(alsoRedact.length === 0 ? {} : { alsoRedact }) });
          break;
        }
      }
      return matches;
    },
  };
}

/** The key-format rules: one pass over word starts, one over the context formats. */
export const keyFormatRules: readonly RedactionRule[] = [keyFormatRule('key-format', wordFormats, '\\b'), keyFormatRule('key-format-in-context', contextFormats, '')];

/** Every name the key-format rules report. */
export const keyFormatNames: readonly string[] = [...new Set([...wordFormats, ...contextFormats].map((format) => format.name))];
