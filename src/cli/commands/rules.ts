/** `leakproof rules`: the active rules, as a table or JSON. */
import { compileSettings, loadConfig } from '../../config/load.js';
import { UsageError } from '../errors.js';

export async function runRules(options: { config?: string; format: string }): Promise<number> {
  if (options.format !== 'text' && options.format !== 'json') throw new UsageError(`--format ${options.format}: expected text or json`);
  const cwd = process.cwd();
  const settings = await compileSettings(await loadConfig(cwd, options.config), cwd);
  const rules = [...settings.ruleSet.rules].sort((a, b) => a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id));
  if (options.format === 'json') {
    const out = rules.map((r) => ({ id: r.id, provider: r.provider, severity: r.severity, description: r.description }));
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...rules.map((r) => r.id.length));
  const providerWidth = Math.max(...rules.map((r) => r.provider.length));
  for (const r of rules) {
    process.stdout.write(`${r.id.padEnd(width)}  ${r.provider.padEnd(providerWidth)}  ${r.severity.padEnd(8)}  ${r.description}\n`);
  }
  process.stdout.write(`${rules.length} rules active\n`);
  return 0;
}
