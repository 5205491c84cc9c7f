import { describe, expect, it } from 'vitest';
import { defaultScoringConfigExample } from '../__fixtures__/examples.js';
import { defaultScoringConfig, parseScoringConfig } from './scoring-config.js';

describe('scoringConfigSchema', () => {
  it('should fill every default from an empty block', () => {
    expect(defaultScoringConfig()).toEqual(defaultScoringConfigExample);
  });

  it('should keep the keys given and default the rest', () => {
    const config = parseScoringConfig({ weights: { outcome: 0.8 }, tiers: { rework: 0.5 } });
    expect(config.weights).toEqual({ outcome: 0.8, heuristics: 0.4 });
    expect(config.tiers.rework).toBe(0.5);
    expect(config.tiers.firstTry).toBe(1);
  });

  it('should reject unknown keys so a typo in forge.config.json is not ignored', () => {
    expect(() => parseScoringConfig({ weight: { outcome: 1 } })).toThrow(/weight/);
  });
});
