/**
 * One long-lived `git cat-file --batch` process serves every blob a git scan reads (staged, diff,
 * history): object ids go in on stdin, contents come back in the same order. Requests are written
 * a window ahead of the reads so git never waits on us, while reading stays pull-based: memory
 * holds the window's ids and the one object being read, whatever the number of blobs.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitError } from './git.js';

export type BlobContent =
  | { kind: 'text'; content: Buffer }
  | { kind: 'binary'; size: number }
  | { kind: 'too-large'; size: number };

/** How many requests may be in flight: enough to keep git busy while we detect, small enough to bound memory. */
const WINDOW = 1024;
/**
 * How much of git's output is read ahead of the consumer. The pipe holds only 64 KB: without this,
 * git waits whenever we detect, and we wait whenever git resolves deltas.
 */
const READ_AHEAD = 16 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

export class CatFile {
  private child: ChildProcessWithoutNullStreams | undefined;
  /** Output read from git, not yet consumed, and its size; whether git's output ended. */
  private chunks: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private wake: (() => void) | undefined;
  private pending: Buffer = EMPTY;
  private stderr = '';
  private failure: Error | undefined;
  private closed: Promise<number | null> | undefined;
  private busy = false;

  /** `gitArgs` go before `cat-file` (e.g. `--git-dir=<dir>`). The process starts on the first read, or on `start()`. */
  constructor(
    private readonly cwd: string,
    private readonly gitArgs: readonly string[] = [],
  ) {}

  /** Starts git now, so its start-up overlaps other work (the pre-commit hook is the hot path). */
  start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn('git', [...this.gitArgs, 'cat-file', '--batch'], { cwd: this.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    child.on('error', (error: NodeJS.ErrnoException) => {
      this.failure = new GitError(error.code === 'ENOENT' ? 'git is not installed or not on PATH' : `cannot run git: ${error.message}`);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += b.toString('utf8');
    });
    child.stdin.on('error', () => {}); // git died: the read side reports why
    this.closed = new Promise((resolve) => child.on('close', resolve));
    child.stdout.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.queued += chunk.length;
      if (this.queued > READ_AHEAD) child.stdout.pause();
      this.wake?.();
    });
    child.stdout.on('end', () => {
      this.ended = true;
      this.wake?.();
    });
    this.child = child;
    return child;
  }

  /**
   * Reads the blobs of `requests` in order and yields each request with its content. Blobs over
   * `maxSize` are drained without being kept; binaries (a NUL in the first 8000 bytes, git's own
   * test) are reported as such. A missing or unreadable object throws: callers fail closed.
   */
  async *read<T extends { blob: string; path?: string }>(requests: Iterable<T> | AsyncIterable<T>, maxSize: number): AsyncGenerator<[T, BlobContent]> {
    if (this.busy) throw new Error('CatFile.read: one read at a time');
    this.busy = true;
    const child = this.start();
    const source = Symbol.asyncIterator in requests ? requests[Symbol.asyncIterator]() : (requests as Iterable<T>)[Symbol.iterator]();
    const inFlight: T[] = [];
    let sourceDone = false;
    let failed = false;
    try {
      for (;;) {
        // Refill the window when half of it is read, with one write: a write per id costs a
        // system call each.
        if (!sourceDone && inFlight.length <= WINDOW / 2) {
          let ids = '';
          while (inFlight.length < WINDOW) {
            const next = await source.next();
            if (next.done) {
              sourceDone = true;
              break;
            }
            inFlight.push(next.value);
            ids += `${next.value.blob}\n`;
          }
          if (ids.length > 0) child.stdin.write(ids);
        }
        const request = inFlight.shift();
        if (request === undefined) return;
        let content: BlobContent;
        try {
          content = await this.readObject(request.blob, maxSize);
        } catch (error) {
          failed = true;
          if (error instanceof GitError && request.path !== undefined) throw new GitError(`cannot read ${request.path}: ${error.message}`);
          throw error;
        }
        yield [request, content];
      }
    } finally {
      try {
        // A consumer that stops early leaves answers in the pipe: drain them so a next read lines up.
        if (!failed) for (const request of inFlight) await this.readObject(request.blob, 0);
      } finally {
        this.busy = false;
      }
    }
  }

  async close(): Promise<void> {
    if (!this.child) return;
    this.child.stdin.end();
    await this.closed;
  }

  private async readObject(blob: string, maxSize: number): Promise<BlobContent> {
    const header = await this.readLine();
    const [oid, type, sizeText] = header.split(' ');
    if (type === 'missing' || type === 'ambiguous') throw new GitError(`object ${blob} is ${type}: the repository may be corrupt or incomplete`);
    if (oid !== blob || sizeText === undefined) throw new GitError(`unexpected answer from git cat-file for ${blob}: ${header.slice(0, 80)}`);
    if (type !== 'blob') throw new GitError(`object ${blob} is a ${type}, not a blob`);
    const size = Number(sizeText);
    if (size > maxSize) {
      await this.readBytes(size + 1, false);
      return { kind: 'too-large', size };
    }
    const content = (await this.readBytes(size + 1, true)).subarray(0, size); // + the LF git adds
    if (content.subarray(0, 8000).includes(0)) return { kind: 'binary', size };
    return { kind: 'text', content };
  }

  /** Next chunk from git, or an error saying why git stopped answering. */
  private async nextChunk(): Promise<Buffer> {
    while (this.chunks.length === 0 && !this.ended) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    const chunk = this.chunks.shift();
    if (chunk !== undefined) {
      this.queued -= chunk.length;
      if (this.queued <= READ_AHEAD / 2 && this.child!.stdout.isPaused()) this.child!.stdout.resume();
      return chunk;
    }
    const code = await this.closed;
    if (this.failure) throw this.failure;
    const reason = this.stderr.trim().split('\n')[0]?.replace(/^fatal: /, '');
    throw new GitError(reason || `git cat-file stopped unexpectedly (exit ${code})`);
  }

  private async readLine(): Promise<string> {
    const parts: Buffer[] = [];
    for (;;) {
      const lf = this.pending.indexOf(10);
      if (lf !== -1) {
        parts.push(this.pending.subarray(0, lf));
        this.pending = this.pending.subarray(lf + 1);
        return Buffer.concat(parts).toString('utf8');
      }
      parts.push(this.pending);
      this.pending = await this.nextChunk();
    }
  }

  /** Takes `n` bytes off the stream; keeps them only when asked (large blobs are drained). */
  private async readBytes(n: number, keep: boolean): Promise<Buffer> {
    const parts: Buffer[] = [];
    let left = n;
    for (;;) {
      const take = Math.min(left, this.pending.length);
      if (keep && take > 0) parts.push(this.pending.subarray(0, take));
      this.pending = this.pending.subarray(take);
      left -= take;
      if (left === 0) return keep ? (parts.length === 1 ? parts[0] : Buffer.concat(parts)) : EMPTY;
      this.pending = await this.nextChunk();
    }
  }
}
