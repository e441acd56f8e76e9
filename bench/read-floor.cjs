'use strict';
/**
 * The floor of a Node scanner on a work tree: node asks git for the files leakproof scans (tracked,
 * and untracked but not ignored), then this thread and one worker per further core read them, each
 * file once, with the system calls leakproof makes (open, one read into a reused buffer, close), and
 * do nothing with the bytes. The threads take files from one shared index, as leakproof's do. The
 * bench times it next to `leakproof scan`: what leakproof takes beyond it is detection.
 *
 *   node bench/read-floor.cjs <folder in a git work tree> [threads, default: one per core, at most 8]
 */
const { execFileSync } = require('node:child_process');
const { closeSync, openSync, readSync } = require('node:fs');
const { availableParallelism } = require('node:os');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

/** Reads files until the shared index runs past the list; returns the bytes read. */
function readShare(dir, files, queue) {
  const buffer = Buffer.allocUnsafe(16 * 1024 * 1024);
  let bytes = 0;
  for (let i = Atomics.add(queue, 0, 1); i < files.length; i = Atomics.add(queue, 0, 1)) {
    let fd;
    try {
      fd = openSync(`${dir}/${files[i]}`, 'r');
    } catch {
      continue; // a symlink to a folder, or gone since git listed it: leakproof skips it too
    }
    try {
      bytes += readSync(fd, buffer, 0, buffer.length, 0);
    } catch {
      // a folder (submodule): skipped
    } finally {
      closeSync(fd);
    }
  }
  return bytes;
}

if (isMainThread) {
  const dir = process.argv[2];
  const threads = process.argv[3] === undefined ? Math.min(availableParallelism(), 8) : Number(process.argv[3]);
  if (dir === undefined || !Number.isInteger(threads) || threads < 1) {
    process.stderr.write('usage: node bench/read-floor.cjs <folder in a git work tree> [threads]\n');
    process.exit(2);
  }
  const list = (args) => execFileSync('git', ['ls-files', '-z', ...args, '--', '.'], { cwd: dir, maxBuffer: 1 << 30 }).toString('utf8').split('\0').filter(Boolean);
  const files = [...list(['--cached']), ...list(['--others', '--exclude-standard'])];
  const queue = new Int32Array(new SharedArrayBuffer(4));
  const workers = Array.from({ length: threads - 1 }, () => new Worker(__filename, { workerData: { dir, files, queue } }));
  let bytes = readShare(dir, files, queue);
  let left = workers.length;
  if (left === 0) process.stdout.write(`${files.length} files, ${bytes} bytes\n`);
  for (const worker of workers) {
    worker.once('message', (theirs) => {
      bytes += theirs;
      if (--left === 0) process.stdout.write(`${files.length} files, ${bytes} bytes\n`);
    });
  }
} else {
  parentPort.postMessage(readShare(workerData.dir, workerData.files, workerData.queue));
}
