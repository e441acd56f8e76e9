'use strict';
/**
 * The floor of a Node pre-commit hook that asks git for the staged change: node starts, loads
 * child_process, runs the git commands given as JSON on the command line (those `leakproof staged`
 * runs, in parallel as it does) and reads their output, and nothing else. The bench times it next
 * to `leakproof staged`, so the difference is leakproof's own work.
 *
 *   node bench/git-floor.cjs '[["diff", "--cached"], ["rev-parse", "--show-toplevel"]]'
 */
const { spawn } = require('node:child_process');

let commands;
try {
  commands = JSON.parse(process.argv[2] ?? '');
  if (!Array.isArray(commands) || !commands.every((args) => Array.isArray(args) && args.every((a) => typeof a === 'string'))) throw new Error('not a list of argument lists');
} catch (error) {
  process.stderr.write(`git-floor: the argument must be a JSON list of git argument lists (${error.message})\n`);
  process.exit(2);
}

function run(args) {
  return new Promise((resolve) => {
    const child = spawn('git', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    child.stdout.on('data', (chunk) => (bytes += chunk.length));
    child.stderr.on('data', () => {});
    child.on('error', (error) => resolve({ args, code: null, error }));
    child.on('close', (code) => resolve({ args, code, bytes }));
  });
}

Promise.all(commands.map(run)).then((results) => {
  const failed = results.find((r) => r.code !== 0);
  if (failed) {
    process.stderr.write(`git-floor: git ${failed.args[0]} failed (${failed.error ? failed.error.message : `exit ${failed.code}`})\n`);
    process.exitCode = 2;
  }
});
