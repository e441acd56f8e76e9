/**
 * Detector stage: applies rules to fragments and returns findings with locations.
 * Must stay pure (no fs, no git, no sources): it runs in tests and workers with no setup.
 */
export { RuleSet, type ActiveRule, type RuleSetOptions } from './detector.js';
export { Prefilter } from './prefilter.js';
export { compilePatternRule, RuleDefinitionError, type PatternRuleDef, type RuleExamples } from './pattern-rule.js';
export { shannonEntropy } from './entropy.js';
export { judgeGenericValue, isPlaceholder, isSecretName, SECRET_CHECKS } from './secret-checks.js';
