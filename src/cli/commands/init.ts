/** `leakproof init`: set up the pre-commit hook (husky where there is a package.json, else a git hook). */
import { init } from '../../init/hook.js';

export async function runInit(options: { force?: boolean }): Promise<number> {
  const lines = await init({ cwd: process.cwd(), force: options.force === true });
  for (const line of lines) process.stdout.write(`leakproof: ${line}\n`);
  return 0;
}
