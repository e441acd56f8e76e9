/**
 * A small pool of detection workers for large scans: both cores work, and each worker compiles
 * the rule set once. Starting a worker costs tens of milliseconds, so small scans (a pre-commit
 * hook, a few hundred files) stay on the main thread: see `jobsFor`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { lazyOs, lazyWorkerThreads } from '../lazy.js';
import type { WorkerInit, WorkerJob, WorkerResult } from './protocol.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

// Resolves from dist/workers/ and from the bundled CLI in dist/cli/ alike. The bundled worker (one
// CommonJS file) starts in about half the time of the compiled module tree, when the build made it.
// Undefined when neither exists: tests that run the TypeScript sources scan on this thread.
const WORKER_FILE = ['../workers/detect-worker.cjs', '../workers/detect-worker.js'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find((p) => existsSync(p));
/** Below this many files a scan is over before workers would be ready. */
export const PARALLEL_MIN_FILES = 300;
/**
 * The same with only two threads. Two threads are often two hyperthreads of one core: on the
 * 2-core machines this project is measured on, two scans at once each run 1.4-1.7x slower than
 * one alone, so a worker's start-up and its share of the core pay only on large scans. Measured
 * (bench work tree subsets, interleaved, median of 7): 9.4k files 810 ms alone vs 847 ms with a
 * worker; 14.1k files 1099 vs 1036 ms.
 */
export const PARALLEL_MIN_FILES_TWO_THREADS = 10_000;

/** How many detection threads, this one included, a scan of `fileCount` files should use (1 = no workers). */
export function jobsFor(fileCount: number, requested?: number): number {
  if (WORKER_FILE === undefined) return 1;
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  const jobs = defaultJobs();
  if (fileCount < (jobs <= 2 ? PARALLEL_MIN_FILES_TWO_THREADS : PARALLEL_MIN_FILES)) return 1;
  return jobs;
}

/**
 * How much a streamed scan (history) detects on this thread before it starts `jobs - 1` workers.
 * With two threads, a worker pays only on large inputs (see PARALLEL_MIN_FILES_TWO_THREADS):
 * this repository's own history, 4.5 MB, took 601 ms alone and 707 ms with a worker; the bench
 * history, 221 MB, is ~5% faster with one. With more threads, workers start after the first batch.
 */
export function streamedBytesBeforeWorkers(jobs: number): number {
  return jobs <= 2 ? 16 * 1024 * 1024 : 0;
}

/** One thread per core (at most 8), or 1 when there is no built worker. */
export function defaultJobs(): number {
  if (WORKER_FILE === undefined) return 1;
  return Math.max(1, Math.min(lazyOs().availableParallelism(), 8));
}

export class DetectPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: ((worker: Worker) => void)[] = [];
  private nextId = 0;

  /** Settles when every worker has compiled its rule set (rejects if one fails to start). */
  private readonly ready: Promise<void>;

  private constructor(size: number, init: WorkerInit) {
    const file = WORKER_FILE;
    if (file === undefined) throw new Error('detection workers need the built worker (npm run build)');
    this.ready = Promise.all(
      Array.from({ length: size }, () => {
        const worker = new (lazyWorkerThreads().Worker)(file, { workerData: init });
        this.workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          const onError = (error: Error) => reject(error);
          worker.once('error', onError);
          worker.once('message', () => {
            worker.off('error', onError);
            // Two slots per worker: its next batch is already there when it finishes one.
            this.idle.push(worker, worker);
            resolve();
          });
        });
      }),
    ).then(() => undefined);
  }

  get size(): number {
    return this.workers.length;
  }

  /** A pool whose workers are all ready, for `run`. */
  static async start(size: number, init: WorkerInit): Promise<DetectPool> {
    const pool = new DetectPool(size, init);
    await pool.ready;
    return pool;
  }

  /** A pool whose workers are still starting, for `runOnEach`. */
  static open(size: number, init: WorkerInit): DetectPool {
    const pool = new DetectPool(size, init);
    pool.ready.catch(() => undefined); // reported by runOnEach, whose jobs fail with it
    return pool;
  }

  /**
   * Sends a job to every worker now, ready or not (a worker reads it once it is): `jobFor(i)` is
   * worker i's. Returns each worker's result to come. For jobs that share their work out among
   * themselves (a queue).
   */
  runOnEach(jobFor: (worker: number) => DistributiveOmit<WorkerJob, 'id'>): Promise<Extract<WorkerResult, { findings: unknown }>>[] {
    return this.workers.map((worker, i) => this.post(worker, jobFor(i)));
  }

  /** Whether a batch sent now would start without waiting. */
  hasFreeSlot(): boolean {
    return this.idle.length > 0;
  }

  private acquire(): Promise<Worker> {
    const worker = this.idle.pop();
    if (worker) return Promise.resolve(worker);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Worker): void {
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }

  /** Runs one batch on the next free worker; `transfer`: buffers that move to it (no longer usable here). */
  async run(job: DistributiveOmit<WorkerJob, 'id'>, transfer: ArrayBuffer[] = []): Promise<Extract<WorkerResult, { findings: unknown }>> {
    const worker = await this.acquire();
    try {
      return await this.post(worker, job, transfer);
    } finally {
      this.release(worker);
    }
  }

  private async post(worker: Worker, job: DistributiveOmit<WorkerJob, 'id'>, transfer: ArrayBuffer[] = []): Promise<Extract<WorkerResult, { findings: unknown }>> {
    const id = this.nextId++;
    const result = await new Promise<WorkerResult>((resolve, reject) => {
      const onMessage = (message: WorkerResult) => {
        if (message.id !== id) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(message);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.postMessage({ ...job, id } as WorkerJob, transfer);
    });
    if (result.error !== undefined) throw new Error(`detection worker: ${result.error}`);
    return result;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
