/**
 * Resolves plugin specifiers named in the config (package names, or paths relative to the config
 * file) and namespaces their rules as `namespace/rule-id`. Nothing runs unless the config names it.
 */
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../config/errors.js';
import type { CodeRule, Plugin } from './api.js';
import { importModule } from '../lazy.js';

export async function loadPlugins(specifiers: readonly string[], baseDir: string): Promise<Map<string, CodeRule>> {
  const rules = new Map<string, CodeRule>();
  for (const specifier of specifiers) {
    let url: string;
    if (specifier.startsWith('.') || isAbsolute(specifier)) url = pathToFileURL(resolve(baseDir, specifier)).href;
    else {
      try {
        url = pathToFileURL(createRequire(resolve(baseDir, 'noop.js')).resolve(specifier)).href;
      } catch {
        throw new ConfigError(`plugins: cannot find plugin "${specifier}" (install it, or give a path starting with ./)`);
      }
    }
    let plugin: Plugin;
    try {
      const mod = (await importModule(url)) as { default?: Plugin };
      plugin = (mod.default ?? mod) as Plugin;
    } catch (error) {
      throw new ConfigError(`plugins: cannot load "${specifier}": ${(error as Error).message.split('\n')[0]}`);
    }
    if (!plugin?.meta?.namespace || typeof plugin.rules !== 'object') {
      throw new ConfigError(`plugins: "${specifier}" is not a leakproof plugin (expected a default export with meta.namespace and rules)`);
    }
    for (const [name, rule] of Object.entries(plugin.rules)) {
      if (typeof rule?.create !== 'function' || typeof rule.meta?.description !== 'string') {
        throw new ConfigError(`plugins: "${specifier}": rule "${name}" needs meta.description and create()`);
      }
      rules.set(`${plugin.meta.namespace}/${name}`, rule);
    }
  }
  return rules;
}
