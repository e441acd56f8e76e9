/**
 * Spawning git. Everything that asks git a question goes through here, with `-z` wherever git
 * prints paths. A git failure becomes a GitError with git's own first line: callers fail closed.
 */
import { spawn } from 'node:child_process';
import { nowMs } from '../clock.js';

export class GitError extends Error {}

export interface RunGitOptions {
  cwd: string;
  input?: string | Buffer;
  /** Exit codes that are answers, not failures (e.g. 1 for check-ignore "nothing ignored"). */
  okCodes?: number[];
  env?: NodeJS.ProcessEnv;
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
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(new GitError(error.code === 'ENOENT' ? 'git is not installed or not on PATH' : `cannot run git: ${error.message}`));
    });
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

/** Tracked files, and untracked files git does not ignore, under `dir` (paths relative to `dir`). */
export async function listWorkTreeFiles(dir: string): Promise<{ tracked: string[]; untracked: string[] }> {
  const [tracked, untracked] = await Promise.all([
    runGit(['ls-files', '-z', '--cached', '--', '.'], { cwd: dir }),
    runGit(['ls-files', '-z', '--others', '--exclude-standard', '--', '.'], { cwd: dir }),
  ]);
  return { tracked: splitNul(tracked.stdout), untracked: splitNul(untracked.stdout) };
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
 * Streams a git command's stdout chunk by chunk, for outputs too large to buffer such as `git log`
 * over a whole history or a large change's patch. Git runs up to `READ_AHEAD` bytes ahead of the
 * consumer (a pipe holds only 64 KB: git would wait whenever we detect), then waits. Ends by
 * throwing a GitError with git's first stderr line if git failed. Stream events, not the stream's
 * async iterator, whose first use costs ~2 ms of a pre-commit run.
 */
export async function* streamGit(args: string[], options: { cwd: string }): AsyncGenerator<Buffer> {
  const child = spawn('git', args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let failure: GitError | undefined;
  let stderr = '';
  const chunks: Buffer[] = [];
  let queued = 0;
  let ended = false;
  let wake: (() => void) | undefined;
  child.on('error', (error: NodeJS.ErrnoException) => {
    failure = new GitError(error.code === 'ENOENT' ? 'git is not installed or not on PATH' : `cannot run git: ${error.message}`);
    ended = true;
    wake?.();
  });
  child.stderr.on('data', (b: Buffer) => {
    if (stderr.length < 4096) stderr += b.toString('utf8');
  });
  child.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    queued += chunk.length;
    if (queued > READ_AHEAD) child.stdout.pause();
    wake?.();
  });
  child.stdout.on('end', () => {
    ended = true;
    wake?.();
  });
  const closed = new Promise<number | null>((resolvePromise) => child.on('close', resolvePromise));
  try {
    let turned = nowMs();
    for (;;) {
      // Data is read off the pipe only when the event loop turns, and a consumer that works through
      // chunks already here never lets it: git would wait on a full pipe all that time.
      if (nowMs() - turned > EVENT_LOOP_EVERY_MS) {
        await new Promise<void>((resolvePromise) => setImmediate(resolvePromise));
        turned = nowMs();
      }
      const chunk = chunks.shift();
      if (chunk !== undefined) {
        queued -= chunk.length;
        if (queued <= READ_AHEAD / 2 && child.stdout.isPaused()) child.stdout.resume();
        yield chunk;
        continue;
      }
      if (ended) break;
      await new Promise<void>((resolvePromise) => (wake = resolvePromise));
      wake = undefined;
      turned = nowMs();
    }
    const code = failure ? null : await closed;
    if (failure) throw failure;
    if (code !== 0) throw new GitError(stderr.trim().split('\n')[0]?.replace(/^fatal: /, '') || `git ${args[0]} exited with ${code}`);
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

/** How much of a streamed command's output is read ahead of the consumer. */
const READ_AHEAD = 16 * 1024 * 1024;
/** How long a consumer may keep the event loop from reading git's output. */
const EVENT_LOOP_EVERY_MS = 2;
