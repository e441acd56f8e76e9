/**
 * What reading a config, rule or baseline file needs: a YAML parser and zod. The build bundles
 * this module on its own (dist/cli/parsers.cjs, with a code cache of its own; see src/lazy.ts):
 * loading both from node_modules costs a pre-commit hook ~70 ms, most of it compiling yaml.
 */
export { parse as parseYaml } from 'yaml';
export { z } from 'zod';
