import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { type SecretLintCoreConfig, type SecretLintCoreConfigRule } from '@secretlint/types';
import { secretPlaceholder, slotAt, slotSeparator, type RedactionMatch } from './redaction-rule.js';

const filterCommentsRuleId = '@secretlint/secretlint-rule-filter-comments';
const rulePrefix = '@secretlint/secretlint-rule-';
/** What secretlint is told it reads. The rules' file-type branches depend on it (see {@link ruleLiterals}). */
const transcriptSource = { filePath: '/forge/transcript.txt', ext: '.txt', contentType: 'text' } as const;

/**
 * The recommend preset's rules listed one by one without `filter-comments`, so a
 * `secretlint-disable` comment inside a transcript cannot switch detection off. (Disabling it
 * through the preset's own `rules` option does not work in 11.7.1: the comment still suppressed
 * findings.)
 */
const presetRules: readonly SecretLintCoreConfigRule[] = recommendedRules.filter((rule) => rule.meta.id !== filterCommentsRuleId).map((rule) => ({ id: rule.meta.id, rule }));

// secretlint's core marks every rule run on a process-wide profiler that never forgets a mark and
// searches all earlier ones on each new mark: over a whole corpus that made scanning quadratic
// (most of forge run's time went there) and grew memory without bound. forge never reads the
// profile, so marking is switched off.
secretLintProfiler.mark = () => undefined;

/** The ids of the secretlint rules in force (short form, e.g. `github`). */
export const secretlintRuleNames: readonly string[] = presetRules.map((rule) => rule.id.replace(rulePrefix, ''));

/**
 * Per rule of the recommend preset (short id), literals of which every match of the rule holds
 * one, read from each rule's patterns in @secretlint/secretlint-rule-preset-recommend 11.7.1
 * (module/index-Cq-34xZU.js) for a `.txt` source: a text that holds none of them cannot get a
 * finding from that rule. Each rule runs only over the slots that hold one of its literals: most
 * text is scanned by none. Case-sensitive, as the patterns are (the case-insensitive ones are
 * gated on `://`, which has no case). A rule missing here (a newer preset's) reads every slot.
 */
export const ruleLiterals: Readonly<Record<string, readonly string[]>> = {
  // Only the secret access key pattern runs (`enableIDScanRule` is off by default).
  aws: ['SECRET', 'secret', 'Secret'],
  // Reads `.json` and `.p12` files only: never a transcript.
  gcp: [],
  // The x-oauth-basic and `_authToken` patterns run on package.json and .npmrc paths only.
  npm: ['npm_'],
  // Tokens, and the incoming-webhook URL (matched without case: its `https://`).
  slack: ['xoxb-', 'xoxp-', 'xapp-', 'xoxa-', 'xoxo-', 'xoxr-', '://'],
  basicauth: ['://'],
  openai: ['T3BlbkFJ'],
  anthropic: ['sk-ant-api0'],
  linear: ['lin_api_'],
  privatekey: ['-----BEGIN'],
  sendgrid: ['SG.'],
  shopify: ['shppa_', 'shpca_', 'shpat_', 'shpss_'],
  github: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  '1password': ['ops_ey'],
  // mongodb://, mysql://, postgres:// matched without case: their `://`.
  'database-connection-string': ['://'],
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The rules (by index in {@link presetRules}) each literal stands for, with those of every literal it starts with. */
const rulesByLiteral = new Map<string, number[]>();
for (const [index, rule] of secretlintRuleNames.entries()) for (const literal of ruleLiterals[rule] ?? []) rulesByLiteral.set(literal, [...(rulesByLiteral.get(literal) ?? []), index]);
for (const [literal, rules] of rulesByLiteral) for (const [prefix, prefixRules] of rulesByLiteral) if (prefix !== literal && literal.startsWith(prefix)) rules.push(...prefixRules);
/** Every literal in one pass; longest first, so a literal found also stands for those it starts with (above). */
const literalPass = new RegExp(
  [...rulesByLiteral.keys()]
    .sort((left, right) => right.length - left.length)
    .map(escapeRegExp)
    .join('|'),
  'g',
);
/** Rules that read every slot: none while every preset rule has its literals. */
const ungatedRules = presetRules.flatMap((_rule, index) => (secretlintRuleNames[index]! in ruleLiterals ? [] : [index]));

/** One config per set of rules in force, built once. */
const configs = new Map<string, SecretLintCoreConfig>();
function configOf(ruleIndexes: readonly number[]): SecretLintCoreConfig {
  const key = ruleIndexes.join(',');
  let config = configs.get(key);
  if (config == null) {
    config = { rules: ruleIndexes.map((index) => presetRules[index]!) };
    configs.set(key, config);
  }
  return config;
}

/** secretlint's findings in `content`, as `[start, end, rule]` (JS string indices into `content`). */
async function lint(content: string, config: SecretLintCoreConfig): Promise<Array<[number, number, string]>> {
  const result = await lintSource({ source: { content, ...transcriptSource }, options: { config, maskSecrets: false, noPhysicFilePath: true } });
  // secretlint drops a leading byte order mark and reports ranges in the text without it.
  const shift = content.charCodeAt(0) === 0xfeff ? 1 : 0;
  return result.messages.filter((message) => message.type === 'message').map((message) => [message.range[0] + shift, message.range[1] + shift, message.ruleId.replace(rulePrefix, '')]);
}

function toMatch(start: number, end: number, rule: string): RedactionMatch {
  return { start, end, rule, replacement: secretPlaceholder(rule) };
}

/**
 * Runs secretlint's recommend preset over a batch of slots (`text`: their values joined by
 * {@link slotSeparator}, slot `i` starting at `starts[i]`) and returns the spans it reports, in
 * `text`'s indices. Only the slots holding a rule's literal are given to secretlint, with only
 * those rules; no preset pattern matches across the separator, so a slot's findings do not depend
 * on the slots beside it (and a finding that crossed slots makes the whole batch scanned again).
 * Throws when secretlint fails: callers must treat that as "cannot redact" and drop the content.
 */
export async function scanWithSecretlint(text: string, starts: readonly number[] = [0]): Promise<RedactionMatch[]> {
  if (text === '') return [];
  const everyRule = async () => (await lint(text, configOf(presetRules.map((_rule, index) => index)))).map(([start, end, rule]) => toMatch(start, end, rule));
  if (ungatedRules.length > 0) return everyRule();
  // The slots (in order) that hold some literal, and the rules they call for. (No literal holds a
  // separator character, so each one found lies inside a slot.)
  const slots: number[] = [];
  const rules = new Set<number>();
  literalPass.lastIndex = 0;
  for (let found = literalPass.exec(text); found != null; found = literalPass.exec(text)) {
    // Found in text order, so each literal's slot is at or after the last one listed.
    const slot = slotAt(starts, found.index);
    if (slots.at(-1) !== slot) slots.push(slot);
    for (const rule of rulesByLiteral.get(found[0])!) rules.add(rule);
    literalPass.lastIndex = found.index + 1;
  }
  if (slots.length === 0) return [];
  const config = configOf([...rules].sort((left, right) => left - right));
  if (slots.length === starts.length) return (await lint(text, config)).map(([start, end, rule]) => toMatch(start, end, rule));
  // The chosen slots joined as the batch joins them, and where each starts in both texts.
  const parts: string[] = [];
  const partStarts: number[] = [];
  let length = 0;
  for (const index of slots) {
    const part = text.slice(starts[index], index + 1 < starts.length ? starts[index + 1]! - slotSeparator.length : text.length);
    partStarts.push(length);
    parts.push(part);
    length += part.length + slotSeparator.length;
  }
  const matches: RedactionMatch[] = [];
  for (const [start, end, rule] of await lint(parts.join(slotSeparator), config)) {
    const part = slotAt(partStarts, start);
    if (end > partStarts[part]! + parts[part]!.length) return everyRule();
    const offset = starts[slots[part]!]! - partStarts[part]!;
    matches.push(toMatch(start + offset, end + offset, rule));
  }
  return matches;
}
