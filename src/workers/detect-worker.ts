/**
 * A detection worker: compiles the same rule set as the main thread (from the same config data), then
 * reads and scans files it takes from the shared queue (directory scans), or scans the batches of
 * fragments it is sent (history). Filters stay on the main thread, where the
 * baseline and allow-list keep their bookkeeping; workers return raw findings and counts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileSettings } from '../config/load.js';
import type { Finding } from '../findings/finding.js';
import { readFiles } from '../sources/directory.js';
import { ScanStats } from '../sources/stats.js';
import { QUEUE_JOINED, QUEUE_OPEN, queueIndexes, type WorkerInit, type WorkerJob, type WorkerResult } from './protocol.js';

const init = workerData as WorkerInit;

/** The files this worker takes from the shared queue, one at a time, read as it goes (none if the queue was closed to it). */
function* queuedFiles(job: Extract<WorkerJob, { kind: 'queue' }>, stats: ScanStats) {
  const queue = new Int32Array(job.queue);
  if (Atomics.compareExchange(queue, 1 + job.worker, QUEUE_OPEN, QUEUE_JOINED) !== QUEUE_OPEN) return;
  for (const i of queueIndexes(queue, job.files.length)) yield* readFiles(job.root, [job.files[i]], job.maxFileSize, stats);
}
// No top-level await: the worker is also bundled as CommonJS. A failure here rejects unhandled,
// which ends the worker with an 'error' event that the pool reports.
// The config and rule files come parsed and validated from the main thread: no YAML here.
void compileSettings(init.config, init.cwd, { baseline: false, userRuleDefs: init.userRuleDefs })
  .then((settings) => {
    parentPort!.on('message', (job: WorkerJob) => {
      const stats = new ScanStats();
      const findings: Finding[] = [];
      try {
        const fragments = job.kind === 'fragments' ? job.fragments : queuedFiles(job, stats);
        for (const fragment of fragments) {
          for (const finding of settings.ruleSet.detect(fragment, job.usePrefilter)) findings.push(finding);
        }
        const result: WorkerResult = { id: job.id, findings, filesScanned: stats.filesScanned, bytesScanned: stats.bytesScanned, skipped: stats.skipped };
        parentPort!.postMessage(result);
      } catch (error) {
        parentPort!.postMessage({ id: job.id, error: (error as Error).message } satisfies WorkerResult);
      }
    });
    parentPort!.postMessage({ ready: true });
  });
