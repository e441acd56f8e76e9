/**
 * leakproof's public library API. Nothing else is public: internals may move freely.
 */
export { scan, runPipeline, type ScanRequest, type ScanResult } from './scan.js';
export { loadConfig, compileSettings } from './config/load.js';
export { ConfigError } from './config/errors.js';
export { definePlugin, defineRule } from './plugins/api.js';
export type {
  CodeRule,
  Plugin,
  PluginMeta,
  RuleMeta,
  RuleContext,
  FragmentRuleContext,
  ProjectRuleContext,
  FragmentReport,
  ProjectReport,
  Project,
  RuleHandlers,
  Severity,
  Specificity,
} from './plugins/api.js';
export type { Fragment, CommitInfo, Origin } from './sources/fragment.js';
export { toReported, redact, type Finding, type ReportedFinding } from './findings/finding.js';
export { testRule, type RuleTestCases } from './testing.js';
