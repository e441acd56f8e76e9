/**
 * Fix stage (`leakproof fix`): repairs what a scan found. Plans first (nothing written), then,
 * only with `--write`, applies the plan atomically, skipping any file that changed since it was
 * read. The raw secret stays inside this stage: it goes into `.env` and nowhere else, and every
 * printed line is redacted unless the user asked for `--show-secrets`.
 */
export { planFix, FixError, type FixPlan, type Move, type SourceFix, type ManualFix, type SupportPlan } from './plan.js';
export { applyFix, type ApplyResult } from './apply.js';
export { renderFix, type RenderOptions } from './render.js';
