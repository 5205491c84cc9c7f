/**
 * Fake secrets, one per rule family, built at run time so that no secret-shaped literal sits in
 * the repository (push protection and secret scanners would flag a committed fixture).
 */
export function plantedSecretValues(): Record<string, string> {
  let state = 7;
  const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const random = (length: number, alphabet = alphanumeric) => {
    let out = '';
    for (let index = 0; index < length; index += 1) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      out += alphabet[state % alphabet.length];
    }
    return out;
  };
  const prefix = (...parts: string[]) => parts.join('');
  const privateKeyBody = prefix('MIIEowIBAAK', 'CAQEA') + random(400, `${alphanumeric}+/`);
  return {
    github: prefix('gh', 'p_') + random(36),
    anthropic: prefix('sk-', 'ant-', 'api03-') + random(93, `${alphanumeric}_-`) + 'AA',
    openai: prefix('sk-', 'proj-') + random(58) + prefix('T3Blbk', 'FJ') + random(58),
    slack: prefix('xo', 'xb-') + random(11, '0123456789') + '-' + random(13, '0123456789') + '-' + random(24),
    npm: prefix('np', 'm_') + random(36),
    sendgrid: prefix('S', 'G.') + random(22) + '.' + random(43),
    shopify: prefix('shp', 'at_') + random(32, '0123456789abcdef'),
    linear: prefix('lin_', 'api_') + random(40),
    'database-connection-string': `postgres://admin:${random(16)}@db.internal.example.com:5432/app`,
    'aws-access-key-id': prefix('AK', 'IA') + random(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
    'aws-secret': random(40, `${alphanumeric}/+`),
    jwt: `${prefix('ey', 'JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9')}.${prefix('ey', 'JzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ')}.${random(43, `${alphanumeric}_-`)}`,
    'private-key-body': privateKeyBody,
    'private-key-body-lines': privateKeyBody.match(/.{1,64}/g)!.join('\n'),
    'secret-assignment': prefix('sk_', 'live_') + random(24),
    'env-dump-value': prefix('wh', 'sec_') + random(20),
    'sensitive-json-key': `tok-${random(20)}`,
    bearer: random(32),
    'url-password': `pw${random(14)}`,
    email: 'alice.liddell@wonderland.example.org',
    'home-directory': '/home/alice',
    'user-name': 'alice',
  };
}

/** Replaces `{{name}}` placeholders in every string of a parsed fixture with the planted values. */
export function fillPlaceholders(value: unknown, values: Record<string, string> = plantedSecretValues()): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{([a-z0-9-]+)\}\}/g, (placeholder, name: string) => {
      const planted = values[name];
      if (planted == null) throw new Error(`unknown placeholder ${placeholder}`);
      return planted;
    });
  }
  if (Array.isArray(value)) return value.map((item) => fillPlaceholders(item, values));
  if (value != null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, fillPlaceholders(child, values)]));
  return value;
}
