import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sharedFixturesRoot } from '@forge-internal/test-agents';


/** One planted secret per rule family, and where it is planted. */
export const plantedSecrets = {
  awsAccessKey: 'AKIAQ7XN4ZJ2LMOPW3RT',
  awsSecretKey: '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',
  githubToken: 'ghp_R8s2Kq9VxLm4Tz7Pw1Nc6Yb3Hd5Fg0Ju2Ea8',
  anthropicKey: 'sk-ant-api03-Xq7Lr2Vn9Kp4Ts6Wm1Zc8Bd3Hf5Gj0Yu2Ea8Ni4Ok7Pl1Mq3Rs6Tv9Ux2Wy5Za8Bc1De4Fg7Hi0Jk-AbCdEfAA',
  openAiKey: 'sk-proj-Vb7Nm2Qx9Lk4Jh6Gf1Ds8Az3Pw5Oe0Iu2Yt8Rr4Ee7Ww1Qq3Aa6Ss9Dd2Ff5Gg8Hh1Jj4Kk7Ll0ZzXxCcVvBbNnMm',
  slackToken: 'xoxb-2048392018-4729104837261-Qw8Er5Ty2Ui9Op6As3Df1Gh',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkZvcmdlIFRlc3QiLCJpYXQiOjE3MDAwMDAwMDB9.k3Jq9XvT2mLp8Wn4Rz6Yb1Hc5Fd0Gs7Ae2Ui9Oy3Qw',
  privateKeyBody: 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0',
  dotenvPassword: 'Tr0ub4dor-and-3-horses',
  email: 'kim.developer@acme-corp.example',
} as const;

const privateKeyBlock = `-----BEGIN RSA PRIVATE KEY-----\\n${plantedSecrets.privateKeyBody}\\n-----END RSA PRIVATE KEY-----`;

/**
 * Rewords a copied session so dedup does not drop it as a near-duplicate of the original: the
 * planted secrets must reach the emitter to prove redaction, not vanish with a dropped copy.
 */
function reword(text: string): string {
  const words: Record<string, string> = { README: 'CHANGELOG', settings: 'preferences', config: 'setup', files: 'documents', file: 'document', rig: 'workspace', project: 'repository', exist: 'appear', create: 'write', defaults: 'baselines', listing: 'enumerating' };
  return text.replace(/\b(README|settings|config|files|file|rig|project|exist|create|defaults|listing)\b/gu, (word) => words[word] ?? word);
}

/** Replaces `from` once in `text` and fails loudly when the anchor moved. */
function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture anchor not found: ${from}`);
  return text.replace(from, to);
}

function copy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
}

/**
 * A home folder with sessions of every source: the real pi, omp and Claude Code (2.1.330 and
 * 2.0.76) files, the hand-written pir fixtures (index, torn line, branches), the hand-written
 * Claude fixtures (subagents, resumes, noise), and one pi and one Claude session with a secret of
 * every rule family planted in messages, tool arguments, tool output and titles.
 */
export function createFixtureHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'forge-e2e-home-'));
  const piSessions = join(home, '.pi', 'agent', 'sessions');
  copy(join(sharedFixturesRoot, 'real', 'pi', '.pi'), join(home, '.pi'));
  copy(join(sharedFixturesRoot, 'real', 'omp', '.omp'), join(home, '.omp'));
  copy(join(sharedFixturesRoot, 'pi', 'sessions'), piSessions);
  copy(join(sharedFixturesRoot, 'real', 'claude', '.claude'), join(home, '.claude'));
  // Claude Code 2.0.76 ran in the same folder; give its files a project folder of their own.
  copy(
    join(sharedFixturesRoot, 'real', 'claude-2.0.76', '.claude', 'projects', '-home-ubuntu-gt-myrig-polecats-nux'),
    join(home, '.claude', 'projects', '-home-ubuntu-gt-myrig-polecats-nux-v2'),
  );
  copy(join(sharedFixturesRoot, 'claude', 'projects'), join(home, '.claude', 'projects'));

  const realPi = join(sharedFixturesRoot, 'real', 'pi', '.pi', 'agent', 'sessions', '--home-ubuntu-gt-myrig-polecats-nux--', '2026-11-24T04-07-47-845Z_01a20bbd-0984-77ca-9e17-aa1ee6080a55.jsonl');
  let pi = readFileSync(realPi, 'utf8').replaceAll('01a20bbd-0984-77ca-9e17-aa1ee6080a55', '01a20bbd-5ec2-7e75-9e17-aa1ee6080a55');
  pi = replaceOnce(pi, 'Please look around this rig and make sure it has a config file.', `Please look around this rig. My AWS key is ${plantedSecrets.awsAccessKey} with secret ${plantedSecrets.awsSecretKey}; mail ${plantedSecrets.email}.`);
  pi = replaceOnce(pi, '"arguments":{"command":"ls -la"}', `"arguments":{"command":"curl -H 'Authorization: token ${plantedSecrets.githubToken}' https://api.github.com/user"}`);
  pi = replaceOnce(pi, 'Successfully wrote 64 bytes to config/settings.toml', `Successfully wrote 64 bytes\\n${privateKeyBlock}\\nANTHROPIC_API_KEY=${plantedSecrets.anthropicKey}\\nDB_PASSWORD=${plantedSecrets.dotenvPassword}`);
  pi = reword(pi);
  const lastId = [...pi.matchAll(/"id":"([0-9a-f]{8})"/gu)].at(-1)?.[1];
  pi += `{"type":"session_info","id":"5ec2e7e7","parentId":"${lastId}","timestamp":"2026-11-24T04:07:59.000Z","name":"rotate ${plantedSecrets.slackToken} and ${plantedSecrets.jwt}"}\n`;
  writeFileSync(join(piSessions, '--home-ubuntu-gt-myrig-polecats-nux--', '2026-11-24T05-00-00-000Z_01a20bbd-5ec2-7e75-9e17-aa1ee6080a55.jsonl'), pi);

  const realClaude = join(sharedFixturesRoot, 'real', 'claude', '.claude', 'projects', '-home-ubuntu-gt-myrig-polecats-nux', '785d9c5e-608b-4153-be11-9b182a683525.jsonl');
  let claude = readFileSync(realClaude, 'utf8').replaceAll('785d9c5e-608b-4153-be11-9b182a683525', '785d9c5e-5ec2-4153-be11-9b182a683525');
  claude = claude.replaceAll('Please look around this rig and make sure it has a config file.', `Use ${plantedSecrets.openAiKey} to check this rig and make sure it has a config file.`);
  claude = reword(claude);
  claude += `${JSON.stringify({ type: 'summary', summary: `Rotate ${plantedSecrets.slackToken}`, leafUuid: 'not-a-line' })}\n`;
  writeFileSync(join(home, '.claude', 'projects', '-home-ubuntu-gt-myrig-polecats-nux', '785d9c5e-5ec2-4153-be11-9b182a683525.jsonl'), claude);
  return home;
}
