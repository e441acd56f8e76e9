/**
 * One long-lived `git cat-file --batch` process serves every blob a git scan reads (staged, diff,
 * history): object ids go in on stdin, contents come back in the same order. Requests are written
 * a window ahead of the reads so git never waits on us, while reading stays pull-based: memory
 * holds the window's ids and the one object being read, whatever the number of blobs.
 */
import { GitError, GitOutput } from './git.js';

export type BlobContent =
  | { kind: 'text'; content: Buffer }
  | { kind: 'binary'; size: number }
  | { kind: 'too-large'; size: number };

/** How many requests may be in flight: enough to keep git busy while we detect, small enough to bound memory. */
const WINDOW = 1024;
const EMPTY = Buffer.alloc(0);

export class CatFile {
  /** Git's output reads ahead of us (see GitOutput), so it does not wait whenever we detect. */
  private output: GitOutput | undefined;
  private pending: Buffer = EMPTY;
  private busy = false;

  /** `gitArgs` go before `cat-file` (e.g. `--git-dir=<dir>`). The process starts on the first read. */
  constructor(
    private readonly cwd: string,
    private readonly gitArgs: readonly string[] = [],
  ) {}

  /**
   * Reads the blobs of `requests` in order and yields each request with its content. Blobs over
   * `maxSize` are drained without being kept; binaries (a NUL in the first 8000 bytes, git's own
   * test) are reported as such. A missing or unreadable object throws: callers fail closed.
   */
  async *read<T extends { blob: string; path?: string }>(requests: Iterable<T> | AsyncIterable<T>, maxSize: number): AsyncGenerator<[T, BlobContent]> {
    if (this.busy) throw new Error('CatFile.read: one read at a time');
    this.busy = true;
    const output = (this.output ??= new GitOutput([...this.gitArgs, 'cat-file', '--batch'], { cwd: this.cwd, input: true }));
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
          if (ids.length > 0) output.write(ids);
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
    await this.output?.close();
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
    const chunk = await this.output!.next();
    if (chunk !== undefined) return chunk;
    throw await this.output!.failure((code) => `git cat-file stopped unexpectedly (exit ${code})`);
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
