import { createHash } from 'node:crypto';

/**
 * A corpus of secrets and personal data as real repositories and shells hold them, one entry per
 * kind, each in the context it is found in (a config file, a header, a URL, a shell line). Values
 * are generated from a seed at run time: no secret-shaped literal sits in the repository.
 */
export interface PlantedKind {
  kind: string;
  /** The text as a tool prints it or a user pastes it. */
  snippet: string;
  /** Every string that must not reach an output (the secret, its decoded or encoded forms). */
  secrets: string[];
}

const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const lower = 'abcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
const alphanumeric = upper + lower + digits;
const hex = '0123456789abcdef';
const bech32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const base58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A deterministic source of random strings. */
export function seededRandom(seed: number): (length: number, alphabet?: string) => string {
  let state = seed >>> 0 || 1;
  return (length, alphabet = alphanumeric) => {
    let out = '';
    for (let index = 0; index < length; index += 1) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      out += alphabet[(state >>> 8) % alphabet.length];
    }
    return out;
  };
}

/** Joins parts so that no whole token appears as a literal in this file. */
const join = (...parts: string[]) => parts.join('');
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function luhnComplete(body: string): string {
  let sum = 0;
  for (let index = 0; index < body.length; index += 1) {
    let digit = Number(body[body.length - 1 - index]);
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** The planted corpus for one seed (different seeds give different values in the same contexts). */
export function plantedCorpus(seed: number): PlantedKind[] {
  const random = seededRandom(seed);
  const word = (length: number) => random(length, lower);
  const kinds: PlantedKind[] = [];
  const add = (kind: string, secrets: string[], snippet: (...values: string[]) => string) => kinds.push({ kind, secrets, snippet: snippet(...secrets) });

  add('age-secret-key', [join('AGE-SECRET', '-KEY-1', random(58, bech32.toUpperCase()))], (key) => `# created: 2026-01-05T10:00:00Z\n# public key: age1${random(58, bech32)}\n${key}`);
  add('age-plugin-identity', [join('AGE-PLUGIN', '-YUBIKEY-1', random(40, bech32.toUpperCase()))], (key) => `identity file ~/.config/age/yubikey.txt:\n${key}`);
  add('nostr-nsec', [join('nse', 'c1', random(58, bech32))], (key) => `NOSTR_KEY is set from ${key}`);
  add('bip32-xprv', [join('xp', 'rv', random(108, base58))], (key) => `wallet export: ${key}`);
  add('gitlab-pat', [join('glp', 'at-', random(20))], (key) => `git clone https://oauth2:${key}@gitlab.example.com/group/app.git`);
  add('huggingface', [join('h', 'f_', random(34, upper + lower))], (key) => `huggingface-cli login --token ${key}`);
  add('google-api-key', [join('AI', 'za', random(35, `${alphanumeric}_-`))], (key) => `const MAPS = "${key}";`);
  add('google-oauth-client-secret', [join('GOCS', 'PX-', random(28))], (key) => `{"installed":{"client_id":"1234-abc.apps.googleusercontent.com","client_secret_value":"${key}"}}`);
  add('google-access-token', [join('ya', '29.', random(80, `${alphanumeric}_-`))], (key) => `curl -H "X-Goog-Token: ${key}" https://www.googleapis.com/drive/v3/files`);
  add('stripe-live-key', [join('sk', '_live_', random(24))], (key) => `stripe.api_key_value = ${key}`);
  add('stripe-webhook-secret', [join('whs', 'ec_', random(32))], (key) => `Signing with ${key} for the webhook`);
  add('vault-token', [join('hv', 's.', random(90, `${alphanumeric}_-`))], (key) => `vault login ${key}`);
  add('digitalocean', [join('do', 'p_v1_', random(64, hex))], (key) => `doctl auth init -t ${key}`);
  add('databricks', [join('da', 'pi', random(32, hex))], (key) => `databricks configure --host https://x.cloud.databricks.com --pat ${key}`);
  add('pypi', [join('py', 'pi-AgEIcHlwaS5vcmc', random(70, `${alphanumeric}_-`))], (key) => `twine upload -u __token__ -p ${key} dist/*`);
  add('docker-hub', [join('dck', 'r_pat_', random(27, `${alphanumeric}_-`))], (key) => `echo ${key} | docker login -u ci --password-stdin`);
  add('tailscale', [join('tsk', 'ey-auth-', random(12), '-', random(30))], (key) => `tailscale up --authkey=${key}`);
  add('doppler', [join('dp', '.st.', random(44))], (key) => `doppler run --token ${key} -- npm start`);
  add('postman', [join('PM', 'AK-', random(24, hex), '-', random(34, hex))], (key) => `postman login --with-api-key ${key}`);
  add('grafana', [join('gl', 'sa_', random(32), '_', random(8, hex))], (key) => `grafana service account created: ${key}`);
  add('newrelic', [join('NR', 'AK-', random(27, upper + digits))], (key) => `newrelic profile add --apiKey ${key}`);
  add('sentry', [join('sn', 'trys_', random(64))], (key) => `sentry-cli --auth ${key} releases list`);
  add('supabase', [join('sb', 'p_', random(40, hex))], (key) => `supabase login --token ${key}`);
  add('flyio', [join('fo', '1_', random(43, `${alphanumeric}_-`))], (key) => `fly deploy --access ${key}`);
  add('pulumi', [join('pu', 'l-', random(40, hex))], (key) => `pulumi login with ${key}`);
  add('mailgun', [join('ke', 'y-', random(32, hex))], (key) => `mg = Mailgun("${key}")`);
  add('telegram-bot-token', [join(random(10, digits), ':A', 'A', random(33, `${alphanumeric}_-`))], (key) => `bot = Bot("${key}")`);
  add('groq', [join('gs', 'k_', random(52))], (key) => `client = Groq(key="${key}")`);
  add('openrouter', [join('sk-', 'or-v1-', random(64, hex))], (key) => `OPENROUTER ${key}`);
  add('bcrypt-hash', [join('$2', 'b$12$', random(53, `./${alphanumeric}`))], (hash) => `$ cat .htpasswd\nadmin:${hash}`);
  add('sha512crypt-hash', [join('$', '6$', random(16), '$', random(86, `./${alphanumeric}`))], (hash) => `$ sudo cat /etc/shadow | head -1\nroot:${hash}:19700:0:99999:7:::`);
  add('signed-url', [random(64, hex)], (signature) => `https://bucket.s3.amazonaws.com/report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260105T100000Z&X-Amz-Signature=${signature}`);
  add('discord-webhook', [random(68, `${alphanumeric}_-`)], (token) => `POST https://discord.com/api/webhooks/${random(18, digits)}/${token}`);
  add('minisign-secret-key', [join('RWRTY0Iy', random(204, `${alphanumeric}+/`))], (key) => `$ cat ~/.minisign/minisign.key\nuntrusted comment: minisign encrypted secret key\n${key}`);
  {
    const password = `${word(6)}-${word(6)}-${word(6)}`;
    const auth = base64(`deploy:${password}`);
    add('docker-config-auths', [auth, password], () => `$ cat ~/.docker/config.json\n{\n  "auths": {\n    "registry.example.com": {\n      "auth": "${auth}"\n    }\n  }\n}\nThe registry password ${password} expires next month.`);
  }
  add('json-password', [`correct-horse-${word(10)}`], (password) => `{"username": "deploy", "password": "${password}", "port": 5432}`);
  add('yaml-password', [word(14)], (password) => `database:\n  host: db.internal\n  db_password: ${password}\n  port: 5432`);
  add('toml-api-key', [random(24)], (key) => `[service]\nname = "billing"\napi_key = "${key}"`);
  add('ini-client-secret', [word(20)], (secret) => `[oauth]\nclient_id = billing\nclient_secret = ${secret}`);
  add('netrc', [word(12)], (password) => `$ cat ~/.netrc\nmachine api.example.com login deploy password ${password}`);
  {
    const password = word(12);
    const encoded = base64(password);
    add('npmrc-auth', [base64(`ci:${password}`), encoded, password], (auth) => `//registry.example.com/:_auth=${auth}\n//registry.example.com/:_password=${encoded}`);
  }
  add('xml-password', [word(15)], (password) => `<server>\n  <id>nexus</id>\n  <username>deploy</username>\n  <password>${password}</password>\n</server>`);
  add('cli-password-flag', [`${word(8)}!${word(4)}`], (password) => `mysql --user=app --password ${password} -h db.internal app`);
  {
    const keyId = random(40, hex);
    const body = join('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', random(300, `${alphanumeric}+/`));
    const lines = body.match(/.{1,64}/g)!;
    add('gcp-service-account', [keyId, ...lines.filter((line) => line.length >= 32)], () =>
      JSON.stringify({ type: 'service_account', project_id: 'demo-project', private_key_id: keyId, private_key: `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`, client_email: 'deployer@demo-project.iam.gserviceaccount.com' }, null, 2),
    );
  }
  {
    const password = `${word(5)}#${word(5)}`;
    const header = base64(`deploy:${password}`);
    add('http-basic-auth', [header, password], () => `> GET /api/v1/items HTTP/1.1\n> Authorization: Basic ${header}\n\nI used ${password} for the request above.`);
  }
  add('aws-credentials-file', [random(40, `${alphanumeric}/+`)], (secret) => `[default]\naws_access_key_id = ${join('AK', 'IA', random(16, upper + digits))}\naws_secret_access_key = ${secret}`);
  add('kubeconfig-token', [random(48), base64(random(96))], (token, keyData) => `users:\n- name: admin\n  user:\n    token: ${token}\n    client-key-data: ${keyData}`);
  add('azure-storage-account-key', [base64(random(64))], (key) => `DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=${key};EndpointSuffix=core.windows.net`);
  add('cookie-header', [random(40)], (session) => `Cookie: session=${session}; theme=dark`);
  add('api-key-header', [random(32)], (key) => `curl -H 'X-API-Key: ${key}' https://api.example.com/v1/items`);
  add('query-access-token', [random(40)], (token) => `GET https://api.example.com/v1/items?access_token=${token}&page=2`);
  add('dotenv-password', [word(16)], (password) => `$ cat .env\nNODE_ENV=production\nDB_HOST=db.internal\nDB_PASSWORD=${password}`);
  add('connection-string-password-repeated', [`${word(6)}${random(4, digits)}!`], (password) => `DATABASE_URL=postgres://app:${password}@db.internal:5432/app\n\nSo the password is ${password} for now.`);
  add('phone-international', ['+44 20 7946 0958'], (phone) => `Call the on-call engineer at ${phone} if the deploy fails.`);
  add('phone-north-american', ['(415) 555-2671'], (phone) => `Support line: ${phone}.`);
  add('phone-under-key', ['030 1234567'], (phone) => `{"name": "Erika Mustermann", "phone": "${phone}"}`);
  {
    const visa = luhnComplete(`4${random(14, digits)}`);
    add('payment-card-visa', [visa, visa.match(/.{4}/g)!.join(' ')], (_plain, spaced) => `Test charge with card ${spaced}, exp 12/29.`);
  }
  {
    const mastercard = luhnComplete(`53${random(13, digits)}`);
    add('payment-card-mastercard', [mastercard, mastercard.match(/.{4}/g)!.join('-')], (_plain, dashed) => `card_number=${dashed}`);
  }
  {
    const amex = luhnComplete(`37${random(12, digits)}`);
    const grouped = `${amex.slice(0, 4)} ${amex.slice(4, 10)} ${amex.slice(10)}`;
    add('payment-card-amex', [amex, grouped], () => `The customer read out ${grouped} over the phone.`);
  }
  return kinds;
}

/** Every kind's snippet in one text, each after a line naming it (so the planted kinds stay apart). */
export function corpusText(kinds: readonly PlantedKind[]): string {
  return kinds.map((kind, index) => `Item ${index + 1} (${kind.kind}):\n${kind.snippet}\n`).join('\nNext:\n');
}

/** A 16-character middle part of a long secret: a partial redaction that leaves most of it is a leak too. */
export function secretCores(secret: string): string[] {
  return secret.length > 24 ? [secret, secret.slice(4, 20)] : [secret];
}

/** A stable UUID derived from another and a salt (copies of a transcript get their own ids). */
export function derivedUuid(uuid: string, salt: string): string {
  const digest = createHash('sha256').update(`${uuid}:${salt}`).digest('hex');
  return `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-a${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
}
