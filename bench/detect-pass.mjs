/**
 * One detection pass over a folder's tracked files, for counting instructions: changes of a few
 * percent drown in a shared machine's noise, instruction counts do not. Reads every file first,
 * then runs the built rule set (dist/, `npm run build`) on their bytes, as a scan does.
 *
 *   valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file=/tmp/cg.out \
 *     node --predictable bench/detect-pass.mjs bench/.work/worktree [passes]
 *
 * `--predictable` keeps V8's compilers and collector on this thread and off the clock, so runs
 * count the same instructions within ±0.05%. With 0 passes it counts start-up and reading.
 *
 * Without valgrind it prints each pass's wall and CPU time: the first against the later ones is
 * the warm-up a cold scan pays in each thread.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileSettings, loadConfig } from '../dist/index.js';

const [dirArg, passesArg] = process.argv.slice(2);
if (dirArg === undefined) {
  console.error('usage: node bench/detect-pass.mjs <folder in a git repository> [passes, default 1]');
  process.exit(2);
}
const dir = resolve(dirArg);
const passes = passesArg === undefined ? 1 : Number(passesArg);
if (!Number.isInteger(passes) || passes < 0) {
  console.error(`detect-pass: passes must be a whole number, 0 or more (got ${passesArg})`);
  process.exit(2);
}
const settings = await compileSettings(await loadConfig(dir), dir);
let files;
try {
  files = execFileSync('git', ['ls-files', '-z'], { cwd: dir, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8').split('\0').filter(Boolean);
} catch {
  console.error(`detect-pass: ${dir} is not a folder inside a git work tree`);
  process.exit(2);
}
const inputs = [];
for (const path of files) {
  try {
    inputs.push([path, readFileSync(join(dir, path))]);
  } catch {
    // gone or unreadable since git listed it: not part of the pass
  }
}
let findings = 0;
const times = [];
// A fragment made per call, as sources make them: fragments kept alive for the whole pass made
// the count vary more from run to run.
for (let pass = 0; pass < passes; pass++) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (const [path, bytes] of inputs) findings += settings.ruleSet.detect({ bytes, path, startLine: 1, origin: 'directory' }).length;
  const used = process.cpuUsage(cpu);
  times.push(`${(performance.now() - wall).toFixed(0)} ms (CPU ${((used.user + used.system) / 1000).toFixed(0)} ms)`);
}
console.log(`${inputs.length} files, ${passes} pass(es), ${findings} findings`);
// The first pass pays V8's warm-up (interpreter, compiling, the collector's first growth), the
// later ones run warm code: their difference is what each thread of a cold scan pays again.
// CPU counts every thread of the process, V8's compiler and collector threads included.
if (passes > 0) console.log(`each pass: ${times.join(', ')}`);
