/**
 * Config stage: turns text (the user's `.leakproof.yaml`, rule files, plugins) into compiled
 * objects once per run. Downstream stages never see a string regex or an unvalidated field.
 */
export { loadConfig, compileSettings, CONFIG_NAMES, type LoadedConfig, type CompiledSettings } from './load.js';
export { ConfigError } from './errors.js';
export { parseSize } from './schema.js';
