import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { type SecretLintCoreConfig } from '@secretlint/types';
import { secretPlaceholder, type RedactionMatch } from './redaction-rule.js';

const filterCommentsRuleId = '@secretlint/secretlint-rule-filter-comments';
const rulePrefix = '@secretlint/secretlint-rule-';

/**
 * The recommend preset's rules listed one by one without `filter-comments`, so a
 * `secretlint-disable` comment inside a transcript cannot switch detection off. (Disabling it
 * through the preset's own `rules` option does not work in 11.7.1: the comment still suppressed
 * findings.)
 */
const config: SecretLintCoreConfig = {
  rules: recommendedRules.filter((rule) => rule.meta.id !== filterCommentsRuleId).map((rule) => ({ id: rule.meta.id, rule })),
};

// secretlint's core marks every rule run on a process-wide profiler that never forgets a mark and
// searches all earlier ones on each new mark: over a whole corpus that made scanning quadratic
// (most of forge run's time went there) and grew memory without bound. forge never reads the
// profile, so marking is switched off.
secretLintProfiler.mark = () => undefined;

/** The ids of the secretlint rules in force (short form, e.g. `github`). */
export const secretlintRuleNames: readonly string[] = recommendedRules
  .filter((rule) => rule.meta.id !== filterCommentsRuleId)
  .map((rule) => rule.meta.id.replace(rulePrefix, ''));

/**
 * Runs secretlint's recommend preset over one text and returns the spans it reports. Throws when
 * secretlint fails: callers must treat that as "cannot redact" and drop the content.
 */
export async function scanWithSecretlint(content: string): Promise<RedactionMatch[]> {
  if (content === '') return [];
  const result = await lintSource({
    source: { content, filePath: '/forge/transcript.txt', ext: '.txt', contentType: 'text' },
    options: { config, maskSecrets: true, noPhysicFilePath: true },
  });
  return result.messages
    .filter((message) => message.type === 'message')
    .map((message) => {
      const rule = message.ruleId.replace(rulePrefix, '');
      return { start: message.range[0], end: message.range[1], rule, replacement: secretPlaceholder(rule) };
    });
}
