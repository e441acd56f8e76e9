/**
 * Spawning git. Everything that asks git a question goes through here, with `-z` wherever git
 * prints paths. A git failure becomes a GitError with git's own first line: callers fail closed.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export class GitError extends Error {}

export interface RunGitOptions {
  cwd: string;
  input?: string | Buffer;
  /** Exit codes that are answers, not failures (e.g. 1 for check-ignore "nothing ignored"). */
  okCodes?: number[];
  env?: NodeJS.ProcessEnv;
}

/** What a failed spawn of git (no process at all) is reported as. */
function spawnFailure(error: NodeJS.ErrnoException): GitError {
  return new GitError(error.code === 'ENOENT' ? 'git is not installed or not on PATH' : `cannot run git: ${error.message}`);
}

export function runGit(args: string[], options: RunGitOptions): Promise<{ stdout: Buffer; code: number }> {
  return new Promise((resolvePromise, reject) => {
    let child;
    try {
      // No input: stdin is /dev/null, which spares a pipe and its teardown (~1.5 ms a spawn).
      child = spawn('git', args, { cwd: options.cwd, env: options.env ?? process.env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    } catch (error) {
      reject(new GitError(`cannot run git: ${(error as Error).message}`));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (error: NodeJS.ErrnoException) => reject(spawnFailure(error)));
    child.on('close', (code) => {
      const exit = code ?? 1;
      if (exit === 0 || options.okCodes?.includes(exit)) resolvePromise({ stdout: Buffer.concat(out), code: exit });
      else {
        const message = Buffer.concat(err).toString('utf8').trim().split('\n')[0] || `git ${args[0]} exited with ${exit}`;
        reject(new GitError(message.replace(/^fatal: /, '')));
      }
    });
    if (options.input !== undefined) {
      child.stdin!.on('error', () => {}); // git may exit before reading all input; its exit code tells
      child.stdin!.end(options.input);
    }
  });
}

export function splitNul(buffer: Buffer): string[] {
  const text = buffer.toString('utf8');
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** The work tree's top folder if `dir` is inside one, else undefined. */
export async function workTreeRoot(dir: string): Promise<string | undefined> {
  try {
    const { stdout } = await runGit(['rev-parse', '--is-inside-work-tree', '--show-toplevel'], { cwd: dir });
    const [inside, top] = stdout.toString('utf8').trim().split('\n');
    return inside === 'true' ? top : undefined;
  } catch (error) {
    if (error instanceof GitError && /not a git repository|not installed/.test(error.message)) return undefined;
    throw error;
  }
}

/**
 * Tracked files, and untracked files git does not ignore, under `dir` (paths relative to `dir`).
 * With `blobs` (for `scan --cache`): also the blob id of each tracked regular file whose work-tree
 * content is the index's (git's own answer: `ls-files --stage` less `ls-files --modified`). Files
 * in a merge conflict, symlinks and submodules have none, and neither have files git is told not
 * to look at (`update-index --assume-unchanged` or `--skip-worktree`: git would not see them
 * change, and such files are often local configs with real keys).
 */
export async function listWorkTreeFiles(dir: string, options: { blobs?: boolean } = {}): Promise<{ tracked: string[]; untracked: string[]; blobs?: Map<string, string> }> {
  const untracked = runGit(['ls-files', '-z', '--others', '--exclude-standard', '--', '.'], { cwd: dir });
  if (!options.blobs) {
    const [tracked, others] = await Promise.all([runGit(['ls-files', '-z', '--cached', '--', '.'], { cwd: dir }), untracked]);
    return { tracked: splitNul(tracked.stdout), untracked: splitNul(others.stdout) };
  }
  const [staged, modified, others] = await Promise.all([
    runGit(['ls-files', '-z', '--stage', '-v', '--', '.'], { cwd: dir }),
    runGit(['ls-files', '-z', '--modified', '--', '.'], { cwd: dir }),
    untracked,
  ]);
  const changed = new Set(splitNul(modified.stdout));
  const tracked: string[] = [];
  const blobs = new Map<string, string>();
  const conflicted = new Set<string>();
  for (const entry of splitNul(staged.stdout)) {
    // "<tag> <mode> <blob> <stage>\t<path>": tag H is a plain cached file (h: assume-unchanged,
    // S: skip-worktree); the mode has 6 digits and the stage one.
    const tab = entry.indexOf('\t');
    const tag = entry[0];
    const mode = entry.slice(2, 8);
    const stage = entry[tab - 1];
    const path = entry.slice(tab + 1);
    if (stage !== '0') {
      // One entry per side of a conflict: the path is listed once and has no blob of its own.
      if (conflicted.has(path)) continue;
      conflicted.add(path);
      tracked.push(path);
      continue;
    }
    tracked.push(path);
    if (tag === 'H' && (mode === '100644' || mode === '100755') && !changed.has(path)) blobs.set(path, entry.slice(9, tab - 2));
  }
  return { tracked, untracked: splitNul(others.stdout), blobs };
}

/**
 * Which of `paths` (relative to `dir`) git's ignore rules cover, tracked or not
 * (`git check-ignore --no-index`): the only correct answer to "is .env in .gitignore?".
 */
export async function ignoredPaths(dir: string, paths: readonly string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const { stdout } = await runGit(['check-ignore', '--no-index', '-z', '--stdin'], {
    cwd: dir,
    input: paths.join('\0') + '\0',
    okCodes: [1],
  });
  return new Set(splitNul(stdout));
}

/**
 * A git process whose output is read as it comes, by a reader that pulls it (`next`). Git runs up
 * to `READ_AHEAD` bytes ahead of the reader (its pipe holds ~200 KB: git would wait whenever we
 * detect), then waits. Stream events, not the stream's async iterator, whose first use costs ~2 ms
 * of a pre-commit run.
 */
export class GitOutput {
  private readonly child: ChildProcess;
  private readonly chunks: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private wake: (() => void) | undefined;
  private stderr = '';
  /** Why git could not run at all (then it never exits with a code). */
  private spawnError: GitError | undefined;
  private readonly closed: Promise<number | null>;

  /** `input`: git reads its stdin (`write`, `close`); else stdin is /dev/null. */
  constructor(args: readonly string[], options: { cwd: string; input?: boolean }) {
    const child = spawn('git', args, { cwd: options.cwd, stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.on('error', (error: NodeJS.ErrnoException) => {
      this.spawnError = spawnFailure(error);
      this.ended = true;
      this.wake?.();
    });
    child.stderr!.on('data', (b: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += b.toString('utf8');
    });
    child.stdin?.on('error', () => {}); // git died: the read side reports why
    child.stdout!.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.queued += chunk.length;
      if (this.queued > READ_AHEAD) child.stdout!.pause();
      this.wake?.();
    });
    child.stdout!.on('end', () => {
      this.ended = true;
      this.wake?.();
    });
    this.closed = new Promise((resolvePromise) => child.on('close', resolvePromise));
  }

  /** Git's next piece of output, or undefined once it has ended. */
  async next(): Promise<Buffer | undefined> {
    // Data is read off the pipe only when the event loop turns, and a reader that works through
    // chunks already here never lets it: git waits on the full pipe (~200 KB) until then. So the
    // loop turns before every chunk is taken, and git writes while we detect, not only between
    // our turns. A turn every 2 ms instead made git wait ~1 s of a first commit of the bench tree
    // (8-10% longer).
    if (this.chunks.length > 0) await new Promise<void>((resolvePromise) => setImmediate(resolvePromise));
    while (this.chunks.length === 0 && !this.ended) {
      await new Promise<void>((resolvePromise) => (this.wake = resolvePromise));
      this.wake = undefined;
    }
    const chunk = this.chunks.shift();
    if (chunk !== undefined) {
      this.queued -= chunk.length;
      if (this.queued <= READ_AHEAD / 2 && this.child.stdout!.isPaused()) this.child.stdout!.resume();
    }
    return chunk;
  }

  write(text: string): void {
    this.child.stdin!.write(text);
  }

  /** Git's exit code, once it has exited (null when it could not run or was killed). */
  async exitCode(): Promise<number | null> {
    return this.spawnError ? null : await this.closed;
  }

  /** Why git stopped: it could not run, or its first stderr line, or else `otherwise(exit code)`. */
  async failure(otherwise: (code: number | null) => string): Promise<GitError> {
    if (this.spawnError) return this.spawnError;
    const code = await this.closed;
    return new GitError(this.stderr.trim().split('\n')[0]?.replace(/^fatal: /, '') || otherwise(code));
  }

  /** Ends git's input and waits for it to exit. */
  async close(): Promise<void> {
    this.child.stdin?.end();
    await this.exitCode();
  }

  /** Stops git if it is still running (a reader that stopped early). */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

/**
 * Streams a git command's stdout chunk by chunk, for outputs too large to buffer such as `git log`
 * over a whole history or a large change's patch. Ends by throwing a GitError with git's first
 * stderr line if git failed.
 */
export async function* streamGit(args: string[], options: { cwd: string }): AsyncGenerator<Buffer> {
  const output = new GitOutput(args, options);
  try {
    for (let chunk = await output.next(); chunk !== undefined; chunk = await output.next()) yield chunk;
    if ((await output.exitCode()) !== 0) throw await output.failure((code) => `git ${args[0]} exited with ${code}`);
  } finally {
    output.kill();
  }
}

/** How much of a streamed command's output is read ahead of the reader. */
const READ_AHEAD = 16 * 1024 * 1024;
