/** The one long-lived `git cat-file --batch` reader, against real objects in a real repo. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CatFile } from '../../src/sources/cat-file.js';
import { GitError } from '../../src/sources/git.js';
import { tempDir, tempGitRepo } from '../helpers/index.js';

/** Writes `content` as a blob object and returns its id. */
function blob(dir: string, content: string | Buffer): string {
  return execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: content }).toString().trim();
}

describe('CatFile', () => {
  it('returns many blobs in request order, more than its read-ahead window', async () => {
    const dir = tempGitRepo();
    const contents = Array.from({ length: 300 }, (_, i) => `blob number ${i}\n${'x'.repeat(i * 37)}\n`);
    const requests = contents.map((content, i) => ({ blob: blob(dir, content), i }));
    const cat = new CatFile(dir);
    const seen: string[] = [];
    for await (const [request, content] of cat.read(requests, 1 << 20)) {
      expect(content.kind).toBe('text');
      if (content.kind === 'text') seen.push(content.content.toString('utf8'));
      expect(request.i).toBe(seen.length - 1);
    }
    await cat.close();
    expect(seen).toEqual(contents);
  });

  it('keeps a large blob intact across pipe chunks, drains one over the limit, and spots binaries', async () => {
    const dir = tempGitRepo();
    const large = Buffer.alloc(3 * 1024 * 1024 + 7, 'abcdefghij\n');
    const binary = Buffer.concat([Buffer.from('PNG'), Buffer.from([0, 0, 1]), Buffer.alloc(100, 'a')]);
    const small = 'after the others\n';
    const ids = [blob(dir, large), blob(dir, large.subarray(0, 2_000_000)), blob(dir, binary), blob(dir, small)];
    const cat = new CatFile(dir);
    const results = [];
    for await (const [, content] of cat.read(ids.map((id) => ({ blob: id })), 3 * 1024 * 1024 + 7)) results.push(content);
    expect(results[0].kind === 'text' && results[0].content.equals(large)).toBe(true);
    expect(results[1].kind === 'text' && results[1].content.length).toBe(2_000_000);
    expect(results[2]).toEqual({ kind: 'binary', size: binary.length });
    expect(results[3].kind === 'text' && results[3].content.toString()).toBe(small);
    // The same process, a lower limit: the large blob is drained, not kept, and the next one lines up.
    const again = [];
    for await (const [, content] of cat.read([{ blob: ids[0] }, { blob: ids[3] }], 1000)) again.push(content);
    expect(again[0]).toEqual({ kind: 'too-large', size: large.length });
    expect(again[1].kind === 'text' && again[1].content.toString()).toBe(small);
    await cat.close();
  });

  it('lines up the next read when a consumer stops early', async () => {
    const dir = tempGitRepo();
    const ids = Array.from({ length: 20 }, (_, i) => blob(dir, `content ${i}\n`));
    const cat = new CatFile(dir);
    for await (const [request] of cat.read(ids.map((id) => ({ blob: id })), 1000)) {
      expect(request.blob).toBe(ids[0]);
      break;
    }
    const next = [];
    for await (const [, content] of cat.read([{ blob: ids[7] }], 1000)) next.push(content.kind === 'text' ? content.content.toString() : content.kind);
    expect(next).toEqual(['content 7\n']);
    await cat.close();
  });

  it('fails with a GitError naming the path for a missing object, and outside a repository', async () => {
    const dir = tempGitRepo();
    const cat = new CatFile(dir);
    const read = async (requests: { blob: string; path?: string }[]) => {
      for await (const _ of cat.read(requests, 1000)) void _;
    };
    await expect(read([{ blob: 'f'.repeat(40), path: 'src/gone.ts' }])).rejects.toThrow(/cannot read src\/gone\.ts: object f+ is missing/);
    await expect(read([{ blob: 'f'.repeat(40), path: 'x' }])).rejects.toBeInstanceOf(GitError);
    await cat.close();

    const outside = new CatFile(tempDir());
    await expect((async () => {
      for await (const _ of outside.read([{ blob: 'f'.repeat(40) }], 1000)) void _;
    })()).rejects.toThrow(/not a git repository/);
    await outside.close();
  });
});
