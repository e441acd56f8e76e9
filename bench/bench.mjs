#!/usr/bin/env node
/**
 * `npm run bench`: leakproof against its peers (ripgrep, git-secrets, secretlint) on the same
 * inputs in one run (issue 5). Run by hand; timings never go into the test suite.
 *
 *   npm run bench -- [--runs N] [--only worktree|staged|first-commit|history|dev-history] [--history-versions N] [--dev-commits N]
 *
 * Inputs are real code nobody on this project wrote: pinned npm tarballs (the npm registry is the
 * only network used), unpacked into git repositories under bench/.work/ (git-ignored). They are
 * built the first time and reused while their key (pinned versions, seed, INPUT_FORMAT) holds.
 *   worktree: one commit of the WORKTREE_PACKAGES below, plus planted secrets.
 *   first-commit: the work tree's files staged in a new repository (no commit yet), as for the
 *             first commit of a project or a vendored tree: the pre-commit hook's largest input.
 *   history:  one commit per published version of the HISTORY_PACKAGES, plus planted secrets
 *             that live in a single commit each (gone from the work tree, still in history).
 *   dev-history: a history shaped like a project's own: an import of some of the work tree's
 *             files, then --dev-commits commits that each edit a few lines of 1-3 of them.
 *
 * Method: each command runs once untimed (warm page cache; its output gives the finding count),
 * then --runs times, interleaved across tools so background load hits every tool alike (the
 * machines are shared). Wall time is measured here; CPU (user+sys) and peak RSS come from
 * GNU `/usr/bin/time` when present. For a shell pipeline they cover every process in it (peak
 * RSS is then the largest one's). We print the median wall and the min–max spread.
 *
 * Floor rows time a Node process that does only what any Node scanner must before it detects
 * anything: read the work tree's files (bench/read-floor.cjs), read cat-file's stream, or ask git
 * for the staged change (bench/git-floor.cjs). What leakproof takes beyond its floor is its own
 * work, and what a target leaves beyond the floor is the most detection may take to meet it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = join(REPO, 'bench', '.work');
const TARBALLS = join(WORK, 'tarballs');
const WORKTREE = join(WORK, 'worktree');
const HISTORY = join(WORK, 'history');
const DEV_HISTORY = join(WORK, 'dev-history');
const FIRST_COMMIT = join(WORK, 'first-commit');
const LEAKPROOF = join(REPO, 'bin', 'leakproof.cjs');
const SECRETLINT = join(REPO, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
const SECRETLINT_NO_PROFILER = join(REPO, 'bench', 'secretlint-no-profiler.mjs');
const GIT_FLOOR = join(REPO, 'bench', 'git-floor.cjs');
const READ_FLOOR = join(REPO, 'bench', 'read-floor.cjs');
const PATTERNS_FILE = join(WORK, 'secret-patterns.txt');
/** A typical project config, for the pre-commit run that has one (it loads the YAML and schema code). */
const STAGED_CONFIG = join(WORK, 'staged-config.yaml');
/** A config that turns a rule off: the rule set is then a subset of the default one. */
const STAGED_CONFIG_DISABLE = join(WORK, 'staged-config-disable.yaml');
/** A config with a rule folder of its own (one rule): a rule set the build did not precompute. */
const STAGED_CONFIG_RULES = join(WORK, 'staged-config-rules.yaml');
/**
 * leakproof's start-up cache (parsed config, rule and baseline files; automatons of rule sets the
 * build did not precompute) for this run only: emptied at the start, so the warm-up run of each
 * command fills it, as a hook's first run after a config change does.
 */
const STARTUP_CACHE = join(WORK, 'startup-cache');
const TIME_FILE = join(WORK, 'time.txt');

const SEED = 5;
/** Bump when the way inputs are built changes, so cached inputs are rebuilt. */
const INPUT_FORMAT = 2;

// Work tree: ~17k files / ~58 MB, close to the issue's reference repository (17k files / 41 MB),
// many small modules (date-fns, core-js, rxjs, lodash) and some large bundles (react-dom, mui).
const WORKTREE_PACKAGES = [
  'rxjs@7.8.1',
  'lodash@4.17.21',
  'eslint@9.14.0',
  'webpack@5.96.1',
  'react-dom@18.3.1',
  '@babel/types@7.26.0',
  '@babel/parser@7.26.2',
  '@babel/traverse@7.25.9',
  '@babel/core@7.26.0',
  'date-fns@3.6.0',
  'core-js@3.39.0',
  'moment@2.30.1',
  '@mui/material@6.1.6',
  'caniuse-lite@1.0.30001680',
];

// History: the last N stable versions (x.y.z) up to and including `upTo`, oldest first, one commit
// each. Published versions never change, so the same N gives the same commits.
const HISTORY_PACKAGES = [
  { name: 'eslint', upTo: '9.14.0' },
  { name: 'webpack', upTo: '5.96.1' },
  { name: 'rxjs', upTo: '7.8.1' },
];

// The "grep for secrets" baseline for ripgrep: the same class of patterns as leakproof's rules
// (provider prefixes, private keys, connection strings, secret-like assignments). Rust regex syntax;
// written to the patterns file with (?-u) (ASCII classes and \b): secrets are ASCII, and Unicode
// \b or \w make rg fall back to its slow engine on non-ASCII text (about 100× slower on this tree).
const RG_PATTERNS = [
  String.raw`\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`,
  String.raw`(?i)aws.{0,20}(?:secret|key).{0,20}['"][A-Za-z0-9/+=]{40}['"]`,
  String.raw`\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b`,
  String.raw`\bgithub_pat_[A-Za-z0-9_]{82}\b`,
  String.raw`\bglpat-[A-Za-z0-9_-]{20}\b`,
  String.raw`\bxox[baprs]-[A-Za-z0-9-]{10,72}\b`,
  String.raw`https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{24}`,
  String.raw`\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{24,99}\b`,
  String.raw`\bAIza[0-9A-Za-z_-]{35}\b`,
  String.raw`\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}\b`,
  String.raw`\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}\b`,
  String.raw`\bre_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}\b`,
  String.raw`\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b`,
  String.raw`\bSK[0-9a-fA-F]{32}\b`,
  String.raw`\bnpm_[A-Za-z0-9]{36}\b`,
  String.raw`\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b`,
  String.raw`-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY-----`,
  String.raw`\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`,
  String.raw`\b(?:postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis|amqps?)://[^:@\s/]+:[^@\s/]{3,}@`,
  String.raw`(?i)(?:api_?key|secret|token|passw(?:or)?d|pwd|credentials?)[\w.-]{0,20}['"]?\s*(?::=|=>|=|:)\s*['"][A-Za-z0-9/+_.=-]{16,}['"]`,
  String.raw`(?i)authorization['"]?\s*[:=]\s*['"]?bearer\s+[A-Za-z0-9._~+/-]{16,}`,
];

// git-secrets: its AWS set (--register-aws) plus these (POSIX ERE, matched with grep -w).
const GIT_SECRETS_PATTERNS = [
  're_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}',
  'gh[pousr]_[A-Za-z0-9]{36}',
  'BEGIN[ A-Z0-9]*PRIVATE KEY',
  '(postgres|postgresql|mysql|mongodb|redis)://[^:@ ]+:[^@ ]{3,}@',
];

// ---------------------------------------------------------------------------------------------
// Command line

/** The pre-commit task's runs take ~0.2 s each, and 5 of them give medians ±10 ms apart from run to run. */
const STAGED_MIN_RUNS = 30;

const TASKS = ['worktree', 'staged', 'first-commit', 'history', 'dev-history'];

const USAGE = `usage: npm run bench -- [--runs N] [--only ${TASKS.join('|')}] [--history-versions N] [--dev-commits N]
  --runs N               timed runs per command, after one untimed warm-up (default 5; the
                         pre-commit task takes at least ${STAGED_MIN_RUNS}: its runs are short and its medians noisy)
  --only TASK            run one task: ${TASKS.join(', ')} (default: all of them)
  --history-versions N   published versions per history package, one commit each (default 60)
  --dev-commits N        commits of small edits in the dev-history input, after its first (default 2000)`;

function parseCli() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: 'string', default: '5' },
        only: { type: 'string' },
        'history-versions': { type: 'string', default: '60' },
        'dev-commits': { type: 'string', default: '2000' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail(`${error.message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const runs = Number(values.runs);
  const historyVersions = Number(values['history-versions']);
  if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a positive integer\n${USAGE}`);
  if (!Number.isInteger(historyVersions) || historyVersions < 2) fail(`--history-versions must be an integer >= 2\n${USAGE}`);
  const devCommits = Number(values['dev-commits']);
  if (!Number.isInteger(devCommits) || devCommits < 1) fail(`--dev-commits must be a positive integer\n${USAGE}`);
  if (values.only && !TASKS.includes(values.only)) fail(`--only must be one of ${TASKS.join(', ')}\n${USAGE}`);
  return { runs, only: values.only, historyVersions, devCommits };
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Runs a command to completion; throws with its stderr when it fails (input building only). */
function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0 && !(options.okStatus ?? []).includes(r.status)) {
    throw new Error(`${cmd} ${args.slice(0, 3).join(' ')}… exited with ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
  }
  return r.stdout ?? '';
}

function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
}

// Fixed identity and dates: the same inputs give the same commit ids on every machine.
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
};
function git(cwd, args, extra = {}) {
  return run('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'gc.auto=0', '-c', 'commit.gpgsign=false', ...args], { cwd, env: GIT_ENV, ...extra });
}
function commit(cwd, message, index) {
  const date = `${1700000000 + index * 3600} +0000`;
  git(cwd, ['commit', '-q', '--allow-empty', '-m', message], { env: { ...GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
}

/** A seeded PRNG (mulberry32, shared with the rule-example generator), so planted secrets and their places are the same on every run. */
const { seeded: prng } = await import('../dist/examples.js');

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPERNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const BASE64 = `${ALNUM}+/`;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function crc32(text) {
  let crc = -1;
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i);
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ -1) >>> 0;
}

/** Generated secrets: built at run time so this file holds no key-shaped literal. */
function secretMaker(rand) {
  const pick = (alphabet, n) => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
  const base62 = (n, width) => {
    let out = '';
    for (let v = n; v > 0; v = Math.floor(v / 62)) out = BASE62[v % 62] + out;
    return out.padStart(width, '0');
  };
  const pem = () => {
    // Starts like a DER RSA key ("MII…"): secretlint checks for those magic bytes.
    const lines = [`MIIEowIBAAKCAQEA${pick(BASE64, 48)}`, ...Array.from({ length: 11 }, () => pick(BASE64, 64))];
    const kind = 'RSA PRIVATE KEY';
    return [`-----BEGIN ${kind}-----`, ...lines, `${pick(BASE64, 24)}==`, `-----END ${kind}-----`].join('\n');
  };
  return {
    pick,
    resend: () => `re_${pick(ALNUM, 8)}_${pick(ALNUM, 24)}`,
    awsId: () => `AKIA${pick(UPPERNUM, 16)}`,
    awsSecret: () => pick(BASE64, 40),
    // Real format: 30 random characters and their CRC32 in base62, so checksum rules accept it.
    github: () => {
      const body = pick(ALNUM, 30);
      return `ghp_${body}${base62(crc32(body), 6)}`;
    },
    pem,
  };
}

/** Secret snippets, one per kind, each a few lines as someone might paste them. */
function plantSnippets(make) {
  return [
    { kind: 'resend', text: `const resend = new Resend('${make.resend()}');\n` },
    { kind: 'aws', text: `const AWS_ACCESS_KEY_ID = '${make.awsId()}';\nconst AWS_SECRET_ACCESS_KEY = '${make.awsSecret()}';\n` },
    { kind: 'github', text: `const GITHUB_TOKEN = '${make.github()}';\n` },
    { kind: 'generic', text: `const dbPassword = "${make.pick(ALNUM, 22)}";\n` },
    { kind: 'private-key', text: `const SERVER_KEY = \`${make.pem()}\`;\n` },
  ];
}

function semverCompare(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

function tarballName(spec) {
  const at = spec.lastIndexOf('@');
  return `${spec.slice(0, at).replace(/^@/, '').replace('/', '-')}-${spec.slice(at + 1)}.tgz`;
}

/** Downloads the tarballs not already in bench/.work/tarballs (npm pack, many specs per call). */
function fetchTarballs(specs) {
  mkdirSync(TARBALLS, { recursive: true });
  const missing = specs.filter((spec) => !existsSync(join(TARBALLS, tarballName(spec))));
  for (let i = 0; i < missing.length; i += 40) {
    const batch = missing.slice(i, i + 40);
    process.stderr.write(`bench: npm pack ${batch.length} tarballs (${i + batch.length}/${missing.length})\n`);
    run('npm', ['pack', '--silent', '--pack-destination', TARBALLS, ...batch], { cwd: TARBALLS });
  }
  for (const spec of specs) if (!existsSync(join(TARBALLS, tarballName(spec)))) throw new Error(`npm pack ${spec} gave no ${tarballName(spec)}`);
}

function unpack(spec, dest) {
  mkdirSync(dest, { recursive: true });
  // --strip-components: tarballs hold one top folder (usually package/).
  run('tar', ['-xzf', join(TARBALLS, tarballName(spec)), '-C', dest, '--strip-components=1', '--no-same-owner']);
}

function inputKey(parts) {
  return createHash('sha256').update(JSON.stringify({ INPUT_FORMAT, SEED, ...parts })).digest('hex').slice(0, 16);
}

function isFresh(dir, key) {
  const stamp = `${dir}.key`;
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === key && existsSync(join(dir, '.git'));
}

function listTracked(cwd) {
  return run('git', ['ls-files', '-z'], { cwd }).split('\0').filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// Inputs

function buildWorktree() {
  const key = inputKey({ WORKTREE_PACKAGES });
  if (isFresh(WORKTREE, key)) return;
  process.stderr.write(`bench: building the work-tree input in ${WORKTREE}\n`);
  fetchTarballs(WORKTREE_PACKAGES);
  rmSync(WORKTREE, { recursive: true, force: true });
  rmSync(`${WORKTREE}.key`, { force: true });
  for (const spec of WORKTREE_PACKAGES) unpack(spec, join(WORKTREE, spec.slice(0, spec.lastIndexOf('@'))));
  writeFileSync(join(WORKTREE, '.secretlintrc.json'), `${JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }, null, 2)}\n`);
  git(WORKTREE, ['init', '-q', '-b', 'main']);
  git(WORKTREE, ['add', '-A']);
  // Plant each kind of secret at the end of a few seeded-random JavaScript files (committed).
  const rand = prng(SEED);
  const make = secretMaker(rand);
  const jsFiles = listTracked(WORKTREE).filter((p) => p.endsWith('.js'));
  const planted = [];
  for (let round = 0; round < 2; round++) {
    for (const snippet of plantSnippets(make)) {
      const file = jsFiles[Math.floor(rand() * jsFiles.length)];
      appendFileSync(join(WORKTREE, file), `\n${snippet.text}`);
      planted.push({ kind: snippet.kind, file });
    }
  }
  // And a committed .env file, the classic leak.
  const envFile = 'webpack/.env';
  writeFileSync(join(WORKTREE, envFile), `RESEND_API_KEY=${make.resend()}\nDATABASE_URL=postgres://app:${make.pick(ALNUM, 18)}@db.internal:5432/app\n`);
  planted.push({ kind: 'dotenv (resend + postgres url)', file: envFile });
  writeFileSync(join(WORK, 'worktree-planted.json'), `${JSON.stringify(planted, null, 2)}\n`);
  git(WORKTREE, ['add', '-A']);
  commit(WORKTREE, `worktree input: ${WORKTREE_PACKAGES.length} npm packages`, 0);
  git(WORKTREE, ['gc', '-q']);
  writeFileSync(`${WORKTREE}.key`, `${key}\n`);
}

/** The work tree's committed files, staged (not committed) in a repository of their own. */
function buildFirstCommit() {
  const key = inputKey({ WORKTREE_PACKAGES, task: 'first-commit' });
  if (isFresh(FIRST_COMMIT, key)) return;
  process.stderr.write(`bench: building the first-commit input in ${FIRST_COMMIT}\n`);
  rmSync(FIRST_COMMIT, { recursive: true, force: true });
  rmSync(`${FIRST_COMMIT}.key`, { force: true });
  mkdirSync(FIRST_COMMIT, { recursive: true });
  run('bash', ['-c', `git -C '${WORKTREE}' archive HEAD | tar -x -C '${FIRST_COMMIT}'`]);
  git(FIRST_COMMIT, ['init', '-q', '-b', 'main']);
  git(FIRST_COMMIT, ['add', '-A']);
  writeFileSync(`${FIRST_COMMIT}.key`, `${key}\n`);
}

function historyVersions(name, upTo, count) {
  const cache = join(WORK, `versions-${name.replace('/', '-')}.json`);
  let all;
  if (existsSync(cache)) all = JSON.parse(readFileSync(cache, 'utf8'));
  else {
    all = JSON.parse(run('npm', ['view', name, 'versions', '--json']));
    writeFileSync(cache, JSON.stringify(all));
  }
  const stable = all.filter((v) => /^\d+\.\d+\.\d+$/.test(v) && semverCompare(v, upTo) <= 0).sort(semverCompare);
  return stable.slice(-count);
}

function buildHistory(perPackage) {
  const plan = HISTORY_PACKAGES.map(({ name, upTo }) => ({ name, versions: historyVersions(name, upTo, perPackage) }));
  const key = inputKey({ plan });
  if (isFresh(HISTORY, key)) return;
  const total = plan.reduce((n, p) => n + p.versions.length, 0);
  process.stderr.write(`bench: building the history input in ${HISTORY} (${total} commits)\n`);
  fetchTarballs(plan.flatMap(({ name, versions }) => versions.map((v) => `${name}@${v}`)));
  rmSync(HISTORY, { recursive: true, force: true });
  rmSync(`${HISTORY}.key`, { force: true });
  mkdirSync(HISTORY, { recursive: true });
  git(HISTORY, ['init', '-q', '-b', 'main']);
  const rand = prng(SEED + 1);
  const make = secretMaker(rand);
  const planted = [];
  let index = 0;
  for (const { name, versions } of plan) {
    const dir = join(HISTORY, name);
    for (const version of versions) {
      rmSync(dir, { recursive: true, force: true });
      unpack(`${name}@${version}`, dir);
      // About one commit in 15 adds a secret; the next version of the package drops it again.
      if (rand() < 1 / 15) {
        const snippets = plantSnippets(make);
        const snippet = snippets[planted.length % snippets.length];
        const file = `${name}/local-settings.js`;
        writeFileSync(join(HISTORY, file), snippet.text);
        planted.push({ kind: snippet.kind, file, version });
      }
      git(HISTORY, ['add', '-A', '--', name]);
      commit(HISTORY, `${name}@${version}`, index++);
    }
  }
  writeFileSync(join(WORK, 'history-planted.json'), `${JSON.stringify(planted, null, 2)}\n`);
  git(HISTORY, ['gc', '-q']);
  writeFileSync(`${HISTORY}.key`, `${key}\n`);
}

/** Files of the dev-history input: the work tree's JavaScript files of 10–80 KB (what people edit), at most this many. */
const DEV_HISTORY_FILES = 300;

/**
 * A history shaped like a project's own: one commit imports some of the work tree's files, then
 * each commit edits one to three of them in a few lines, as developers do (the issue's reference
 * repository has 19.8k commits and 3.8 new blobs per commit). Every commit makes new versions of
 * whole files that differ from the last in a few lines, where the version-per-commit history
 * above changes most of a package at once. Secrets are planted in a few commits and taken out a
 * few commits later. Built with one `git fast-import`, as committing 2,000 times would take a minute.
 */
function buildDevHistory(commits) {
  const key = inputKey({ WORKTREE_PACKAGES, task: 'dev-history', commits, DEV_HISTORY_FILES });
  if (isFresh(DEV_HISTORY, key)) return;
  process.stderr.write(`bench: building the dev-history input in ${DEV_HISTORY} (${commits + 1} commits)\n`);
  rmSync(DEV_HISTORY, { recursive: true, force: true });
  rmSync(`${DEV_HISTORY}.key`, { force: true });
  mkdirSync(DEV_HISTORY, { recursive: true });
  const rand = prng(SEED + 3);
  const make = secretMaker(rand);
  const planted = new Set(JSON.parse(readFileSync(join(WORK, 'worktree-planted.json'), 'utf8')).map((p) => p.file));
  const candidates = listTracked(WORKTREE).filter((p) => {
    if (!p.endsWith('.js') || planted.has(p)) return false;
    const { size } = statSync(join(WORKTREE, p));
    return size >= 10_000 && size <= 80_000;
  });
  const paths = [];
  while (paths.length < Math.min(DEV_HISTORY_FILES, candidates.length)) {
    const path = candidates[Math.floor(rand() * candidates.length)];
    if (!paths.includes(path)) paths.push(path);
  }
  paths.sort();
  const lines = new Map(paths.map((path) => [path, readFileSync(join(WORKTREE, path), 'utf8').split('\n')]));
  const chunks = [];
  const data = (text) => {
    chunks.push(`data ${Buffer.byteLength(text)}\n`, text, '\n');
  };
  const commitHeader = (index, message) => {
    chunks.push('commit refs/heads/main\n', `committer bench <bench@example.invalid> ${1700000000 + index * 3600} +0000\n`);
    data(message);
  };
  const put = (path) => {
    chunks.push(`M 100644 inline ${path}\n`);
    data(lines.get(path).join('\n'));
  };
  commitHeader(0, `import ${paths.length} files`);
  for (const path of paths) put(path);
  const plants = [];
  const pending = []; // planted secrets still in the tree: { until: the commit that takes it out, path, line: its first, count: its lines }
  for (let index = 1; index <= commits; index++) {
    const touched = new Set();
    const due = pending.filter((p) => p.until === index);
    for (const p of due) {
      const text = lines.get(p.path);
      text.splice(text.indexOf(p.line), p.count);
      touched.add(p.path);
      pending.splice(pending.indexOf(p), 1);
    }
    const edits = 1 + Math.floor(rand() * 3);
    for (let e = 0; e < edits; e++) {
      const path = paths[Math.floor(rand() * paths.length)];
      if (pending.some((p) => p.path === path)) continue; // a planted secret's lines stay as they are until taken out
      const text = lines.get(path);
      const at = Math.floor(rand() * text.length);
      if (rand() < 0.5) {
        // Change a line: what a fix or a rename looks like in a diff.
        text[at] = `${text[at]} // ${make.pick(ALNUM, 6)}`;
      } else {
        const added = Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, k) => `const setting${index}_${k} = ${Math.floor(rand() * 1e6)}; // see ${make.pick(ALNUM, 8)}`);
        text.splice(at, 0, ...added);
      }
      touched.add(path);
    }
    // About one commit in 250 adds a secret; a later commit (1 to 20 on) takes it out again.
    if (rand() < 1 / 250) {
      const snippets = plantSnippets(make);
      const snippet = snippets[plants.length % snippets.length];
      const path = paths[Math.floor(rand() * paths.length)];
      if (!pending.some((p) => p.path === path)) {
        const text = lines.get(path);
        const snippetLines = snippet.text.replace(/\n$/, '').split('\n');
        const at = Math.floor(rand() * text.length);
        text.splice(at, 0, ...snippetLines);
        pending.push({ until: index + 1 + Math.floor(rand() * 20), path, line: snippetLines[0], count: snippetLines.length });
        plants.push({ kind: snippet.kind, file: path, commit: index });
        touched.add(path);
      }
    }
    commitHeader(index, `change ${index}`);
    for (const path of [...touched].sort()) put(path);
  }
  git(DEV_HISTORY, ['init', '-q', '-b', 'main']);
  git(DEV_HISTORY, ['fast-import', '--quiet'], { input: chunks.join('') });
  git(DEV_HISTORY, ['reset', '-q', '--hard', 'main']);
  git(DEV_HISTORY, ['gc', '-q']);
  writeFileSync(join(WORK, 'dev-history-planted.json'), `${JSON.stringify(plants, null, 2)}\n`);
  writeFileSync(`${DEV_HISTORY}.key`, `${key}\n`);
}

function configureGitSecrets(repo) {
  run('git', ['config', '--unset-all', 'secrets.patterns'], { cwd: repo, okStatus: [5] });
  run('git', ['secrets', '--register-aws'], { cwd: repo });
  for (const pattern of GIT_SECRETS_PATTERNS) run('git', ['secrets', '--add', pattern], { cwd: repo });
}

// ---------------------------------------------------------------------------------------------
// Measuring

const HAVE_TIME = existsSync('/usr/bin/time');

function runOnce(tool) {
  const argv = HAVE_TIME ? ['/usr/bin/time', '-f', '%U %S %M', '-o', TIME_FILE, tool.cmd, ...tool.args] : [tool.cmd, ...tool.args];
  const started = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: tool.cwd,
    env: tool.env === undefined ? process.env : { ...process.env, ...tool.env },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', tool.discardStdout ? 'ignore' : 'pipe', 'pipe'],
  });
  const wall = (performance.now() - started) / 1000;
  if (r.error) throw r.error;
  let cpu = NaN;
  let rssMB = NaN;
  if (HAVE_TIME) {
    // GNU time puts "Command exited with non-zero status N" first when the command fails.
    const [user, sys, rssKB] = readFileSync(TIME_FILE, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpu = user + sys;
    rssMB = rssKB / 1024;
  }
  return { wall, cpu, rssMB, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Warm-up run (also gives the finding count and catches a broken tool), then interleaved runs. */
function measureAll(tools, runs) {
  for (const tool of tools) {
    const r = runOnce(tool);
    if (![0, 1].includes(r.status)) {
      tool.error = `exit ${r.status}: ${(r.stderr.trim().split('\n').find((l) => l.trim()) ?? '').slice(0, 160)}`;
      continue;
    }
    tool.findings = tool.count ? tool.count(r) : undefined;
    tool.samples = [];
  }
  const live = tools.filter((t) => !t.error);
  for (let i = 0; i < runs; i++) for (const tool of live) tool.samples.push(runOnce(tool));
  for (const tool of live) {
    tool.wall = median(tool.samples.map((s) => s.wall));
    tool.wallMin = Math.min(...tool.samples.map((s) => s.wall));
    tool.wallMax = Math.max(...tool.samples.map((s) => s.wall));
    tool.cpu = median(tool.samples.map((s) => s.cpu));
    tool.rssMB = Math.max(...tool.samples.map((s) => s.rssMB));
  }
}

// Finding counts, each in the tool's own unit (findings, matching lines, messages).
const countLeakproof = (r) => JSON.parse(r.stdout).findings.length;
const countRg = (r) => r.stdout.split('\n').filter(Boolean).reduce((n, line) => n + Number(line.split(':').pop()), 0);
// secretlint --format unix: one "path:line:column: message" line per finding.
const countSecretlint = (r) => r.stdout.split('\n').filter((l) => /:\d+:\d+: /.test(l)).length;
// git-secrets prints its matches on stderr, then a block starting "[ERROR] Matched".
const countGitSecrets = (r) => {
  const end = r.stderr.indexOf('[ERROR]');
  return (end < 0 ? '' : r.stderr.slice(0, end)).split('\n').filter((l) => l.trim()).length;
};

// ---------------------------------------------------------------------------------------------
// Printing

const fmtSec = (s) => (Number.isNaN(s) ? '–' : s >= 10 ? `${s.toFixed(1)} s` : s >= 1 ? `${s.toFixed(2)} s` : `${s.toFixed(3)} s`);
const fmtRatio = (x) => (x >= 10 ? `${x.toFixed(0)}×` : x >= 0.1 ? `${x.toFixed(2)}×` : `${x.toFixed(3)}×`);
const fmtMB = (bytes) => (bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`);

function printTask(task) {
  const { title, inputBytes, tools, notes } = task;
  console.log(`\n## ${title}`);
  for (const line of task.input) console.log(`   ${line}`);
  const lp = tools.find((t) => t.leakproof && !t.error && t.wall !== undefined);
  const rows = [['tool', 'wall median (min–max)', 'CPU', 'peak RSS', 'MB/s', 'found', 'leakproof ÷ tool']];
  for (const t of tools) {
    if (t.error || t.wall === undefined) continue;
    rows.push([
      t.name,
      `${fmtSec(t.wall)} (${fmtSec(t.wallMin).replace(' s', '')}–${fmtSec(t.wallMax)})`,
      fmtSec(t.cpu),
      Number.isNaN(t.rssMB) ? '–' : `${t.rssMB.toFixed(0)} MB`,
      inputBytes ? (inputBytes / 1e6 / t.wall).toFixed(1) : '–',
      t.findings === undefined ? '–' : String(t.findings),
      lp && t !== lp ? fmtRatio(lp.wall / t.wall) : '',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const [i, r] of rows.entries()) {
    console.log(`   ${r.map((cell, c) => (c >= 2 && c <= 5 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd()}`);
    if (i === 0) console.log(`   ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  }
  if (lp) {
    const peers = tools.filter((t) => t !== lp && !t.error && t.wall !== undefined);
    console.log(`   ${[`leakproof ${fmtSec(lp.wall)}`, ...peers.map((t) => `${t.short} ${fmtSec(t.wall)} (${fmtRatio(lp.wall / t.wall)})`)].join(' · ')}`);
  }
  for (const t of tools) {
    if (t.error) console.log(`   ! ${t.name}: failed (${t.error}); not timed`);
    else if (t.findings === 0) console.log(`   ! WARNING: ${t.name} found nothing in an input with planted secrets: broken, not fast`);
  }
  for (const line of task.targets?.() ?? []) console.log(`   target: ${line}`);
  for (const line of task.facts?.() ?? []) console.log(`   measured: ${line}`);
  for (const note of notes) console.log(`   note: ${note}`);
}

function targetLine(label, ok, detail) {
  return `${label}: ${detail} → ${ok ? 'met' : 'MISSED'}`;
}

// ---------------------------------------------------------------------------------------------
// Tasks

function leakproofCommands() {
  const help = run('node', [LEAKPROOF, '--help']);
  const section = help.split(/^Commands:$/m)[1] ?? '';
  return new Set([...section.matchAll(/^ {2}(\w+)/gm)].map((m) => m[1]));
}

const rgArgs = ['--no-config', '-c', '--no-filename', '-f', PATTERNS_FILE];

function worktreeTask(env) {
  const files = listTracked(WORKTREE);
  const inputBytes = files.reduce((n, f) => n + statSync(join(WORKTREE, f)).size, 0);
  const planted = JSON.parse(readFileSync(join(WORK, 'worktree-planted.json'), 'utf8'));
  const notes = [];
  const tools = [
    { name: 'leakproof scan', short: 'leakproof', leakproof: true, cmd: 'node', args: [LEAKPROOF, 'scan', '--format', 'json'], count: countLeakproof },
  ];
  // A rerun on the unchanged tree: the warm-up run fills the cache, the timed runs read it.
  if (run('node', [LEAKPROOF, 'scan', '--help']).includes('--cache')) {
    tools.push({ name: 'leakproof scan --cache, a rerun (the warm-up run filled the cache)', short: 'rerun --cache', cmd: 'node', args: [LEAKPROOF, 'scan', '--cache', '--format', 'json'], count: countLeakproof });
  } else notes.push('`leakproof scan --cache` does not exist yet in this build: skipped');
  // What any Node scanner pays before detecting anything: start-up, git's listing, and the reads.
  tools.push({ name: 'node reading the same files on as many threads, nothing else (the floor of a Node scanner)', short: 'node reads', cmd: 'node', args: [READ_FLOOR, '.'] });
  if (env.rg) {
    // --hidden: leakproof scans dotfiles too; rg still honours .gitignore like `git ls-files --exclude-standard`.
    tools.push({ name: `rg (${RG_PATTERNS.length} regexes)`, short: 'rg', cmd: 'rg', args: [...rgArgs, '--hidden', '-g', '!.git'], count: countRg });
  } else notes.push('ripgrep not installed (apt-get install ripgrep): skipped');
  if (env.gitSecrets) {
    // Without paths, --scan greps the files git tracks (git grep): the same file set as leakproof.
    tools.push({ name: 'git secrets --scan', short: 'git-secrets', cmd: 'git', args: ['secrets', '--scan'], count: countGitSecrets });
  } else notes.push('git-secrets not installed (apt-get install git-secrets): skipped');
  // As shipped, secretlint 11 is quadratic in the number of files (its always-on profiler), which
  // would take hours here; so the whole tree is timed with the profiler stubbed out.
  tools.push({
    name: 'secretlint "**/*" (recommend, profiler off)',
    short: 'secretlint',
    cmd: 'node',
    args: ['--import', SECRETLINT_NO_PROFILER, SECRETLINT, '**/*', '--format', 'unix'],
    count: countSecretlint,
  });
  notes.push('secretlint is timed with its profiler replaced by a no-op (bench/secretlint-no-profiler.mjs): as shipped it is quadratic in the file count (secretlint#1653) and would take hours on this tree');
  for (const t of tools) t.cwd = WORKTREE;
  return {
    key: 'worktree',
    title: 'work tree: scan every file git would see',
    input: [`${files.length} files, ${fmtMB(inputBytes)} (${WORKTREE_PACKAGES.length} npm packages, one commit); planted: ${planted.length} snippets (resend, aws, github, generic, private key, .env)`],
    inputBytes,
    tools,
    notes,
    targets() {
      const lp = tools[0];
      if (lp.wall === undefined) return [];
      const out = [];
      const rg = tools.find((t) => t.short === 'rg' && t.wall !== undefined);
      const sl = tools.find((t) => t.short === 'secretlint' && t.wall !== undefined);
      if (rg) out.push(targetLine('within 2× of rg', lp.wall <= 2 * rg.wall, `${fmtRatio(lp.wall / rg.wall)}`));
      if (sl) out.push(targetLine('≥15× faster than secretlint', sl.wall >= 15 * lp.wall, `${fmtRatio(sl.wall / lp.wall)} faster`));
      if (!Number.isNaN(lp.rssMB)) out.push(targetLine('peak RSS < 300 MB', lp.rssMB < 300, `${lp.rssMB.toFixed(0)} MB`));
      return out;
    },
    facts() {
      return [...floorFacts(tools, 'node reads', 'rg', [['within 2× of rg', 'rg', 2], ['≥15× faster than secretlint', 'secretlint', 1 / 15]]), ...rerunFact(tools, 'rg')];
    },
  };
}

/** Modifies and stages 3 files of the work tree; `restore()` puts the index and files back. */
function stageThreeFiles() {
  const rand = prng(SEED + 2);
  const make = secretMaker(rand);
  const planted = new Set(JSON.parse(readFileSync(join(WORK, 'worktree-planted.json'), 'utf8')).map((p) => p.file));
  const candidates = listTracked(WORKTREE).filter((p) => p.endsWith('.js') && !planted.has(p));
  const files = [];
  while (files.length < 3) {
    const file = candidates[Math.floor(rand() * candidates.length)];
    if (!files.includes(file)) files.push(file);
  }
  const edits = [
    // An AWS key pair (secretlint's recommend preset reports the secret, not a lone key id) and a Resend key.
    `\nconst AWS_ACCESS_KEY_ID = '${make.awsId()}';\nconst AWS_SECRET_ACCESS_KEY = '${make.awsSecret()}';\nconst RESEND_API_KEY = '${make.resend()}';\n`,
    '\n// reviewed: no behaviour change\n',
    '\nexport const retries = 3;\n',
  ];
  files.forEach((file, i) => appendFileSync(join(WORKTREE, file), edits[i]));
  git(WORKTREE, ['add', '--', ...files]);
  return { files, restore: () => git(WORKTREE, ['checkout', '-q', 'HEAD', '--', ...files]) };
}

/**
 * The pre-commit hook as `leakproof init` writes it for a project that depends on leakproof, with
 * node_modules/.bin/leakproof linked to this build in the work tree (removed by the returned
 * function): what a commit runs, shell and shim included. Undefined if it cannot be set up.
 */
async function installInitHook() {
  const nodeModules = join(WORKTREE, 'node_modules');
  const hookModule = join(REPO, 'dist', 'init', 'hook.js');
  if (existsSync(nodeModules) || !existsSync(hookModule)) return undefined;
  const { hookBlock } = await import(pathToFileURL(hookModule).href);
  mkdirSync(join(nodeModules, '.bin'), { recursive: true });
  symlinkSync(LEAKPROOF, join(nodeModules, '.bin', 'leakproof'));
  const file = join(WORK, 'init-hook-pre-commit');
  const block = hookBlock(true);
  writeFileSync(file, `#!/bin/sh\n${block}`);
  // The line that runs leakproof, for the row's name (the block ends with it).
  const command = block.trim().split('\n').pop().replace(/ \|\| exit \$\?$/, '');
  return { file, command, remove: () => rmSync(nodeModules, { recursive: true, force: true }) };
}

/**
 * The git commands `leakproof staged` runs (from this build's own modules), for the row that times
 * a bare node process running just them. Undefined if this build does not export them.
 */
async function stagedGitCommands() {
  try {
    const { diffArgs } = await import(pathToFileURL(join(REPO, 'dist', 'sources', 'diff.js')).href);
    const { STAGED_INFO_ARGS } = await import(pathToFileURL(join(REPO, 'dist', 'sources', 'staged.js')).href);
    const { DEFAULT_MAX_FILE_SIZE } = await import(pathToFileURL(join(REPO, 'dist', 'scan.js')).href);
    if (typeof diffArgs !== 'function' || !Array.isArray(STAGED_INFO_ARGS) || typeof DEFAULT_MAX_FILE_SIZE !== 'number') return undefined;
    return [diffArgs(['--cached'], [], { maxFileSize: DEFAULT_MAX_FILE_SIZE, content: true }), STAGED_INFO_ARGS];
  } catch {
    return undefined;
  }
}

function stagedTask(env, commands, files, hook, gitCommands) {
  const inputBytes = files.reduce((n, f) => n + statSync(join(WORKTREE, f)).size, 0);
  const notes = [];
  const tools = [{ name: 'node -e 0 (floor)', short: 'node -e 0', cmd: 'node', args: ['-e', '0'] }];
  // The hook runs leakproof with NODE_EXTRA_CA_CERTS empty (node loads that file at every start:
  // nodejs/node#40524). Where it is set, the hook's row is compared with a floor that skips it too.
  const extraCa = Boolean(process.env.NODE_EXTRA_CA_CERTS);
  if (extraCa && hook) {
    tools.push({ name: 'node -e 0, NODE_EXTRA_CA_CERTS empty (the hook\'s floor)', short: 'node -e 0, no extra CA', cmd: 'node', args: ['-e', '0'], env: { NODE_EXTRA_CA_CERTS: '' } });
    notes.push(`NODE_EXTRA_CA_CERTS is set here (${process.env.NODE_EXTRA_CA_CERTS}): every node start loads it; the hook \`leakproof init\` writes runs leakproof without it, so its target is taken against the floor without it`);
  }
  if (commands.has('staged')) {
    tools.push({ name: 'leakproof staged', short: 'leakproof', leakproof: true, cmd: 'node', args: [LEAKPROOF, 'staged', '--format', 'json'], count: countLeakproof });
    // Node, child_process and the same git commands, run the same way, and nothing else.
    if (gitCommands) tools.push({ name: 'node running the git commands leakproof staged runs, nothing else (the floor of a Node hook that asks git)', short: 'node + git', cmd: 'node', args: [GIT_FLOOR, JSON.stringify(gitCommands)] });
    else notes.push('the floor of a Node hook that asks git: not timed (this build does not export the git commands of `staged`)');
    writeFileSync(STAGED_CONFIG, 'rules:\n  severity: { dotenv-not-ignored: low }\nallow:\n  paths: ["test/fixtures/**"]\n  stopwords: [dummy]\nmaxFileSize: 10MiB\n');
    tools.push({ name: 'leakproof staged, with a config file', short: 'with config', cmd: 'node', args: [LEAKPROOF, 'staged', '--format', 'json', '--config', STAGED_CONFIG], count: countLeakproof });
    writeFileSync(STAGED_CONFIG_DISABLE, 'rules:\n  disable: [generic-url-credentials]\n');
    tools.push({ name: 'leakproof staged, with a rule disabled', short: 'rule disabled', cmd: 'node', args: [LEAKPROOF, 'staged', '--format', 'json', '--config', STAGED_CONFIG_DISABLE], count: countLeakproof });
    mkdirSync(join(WORK, 'staged-rules'), { recursive: true });
    writeFileSync(join(WORK, 'staged-rules', 'acme.yaml'), "provider: Acme\nrules:\n  - id: acme-token\n    description: Acme token\n    keywords: [acme_]\n    regex: '\\b(acme_[A-Za-z0-9]{30})\\b'\n");
    writeFileSync(STAGED_CONFIG_RULES, 'rules:\n  dirs: [./staged-rules]\n');
    tools.push({ name: 'leakproof staged, with a rule folder', short: 'rule folder', cmd: 'node', args: [LEAKPROOF, 'staged', '--format', 'json', '--config', STAGED_CONFIG_RULES], count: countLeakproof });
  } else notes.push('`leakproof staged` does not exist yet in this build: skipped');
  if (hook) {
    tools.push({ name: `the hook \`leakproof init\` writes (sh, ${hook.command})`, short: 'init hook', cmd: 'sh', args: [hook.file] });
  } else if (commands.has('init')) notes.push('the hook `leakproof init` writes: not timed (this build has no dist/init/hook.js, or the work tree has a node_modules of its own)');
  if (env.gitSecrets) {
    // Exactly what the hook that `git secrets --install` writes runs.
    tools.push({ name: 'git secrets --pre_commit_hook', short: 'git-secrets', cmd: 'git', args: ['secrets', '--pre_commit_hook', '--'], count: countGitSecrets });
  } else notes.push('git-secrets not installed (apt-get install git-secrets): skipped');
  // As lint-staged would run it: the staged paths as arguments.
  tools.push({ name: 'secretlint <3 files> (as shipped)', short: 'secretlint', cmd: 'node', args: [SECRETLINT, ...files, '--format', 'unix'], count: countSecretlint });
  for (const t of tools) t.cwd = WORKTREE;
  return {
    key: 'staged',
    title: 'pre-commit: 3 modified files staged in the work-tree repository',
    input: [`${files.join(', ')} (${fmtMB(inputBytes)}); index of ${listTracked(WORKTREE).length} files; planted: an AWS key pair and a Resend key in the first`],
    inputBytes,
    tools,
    notes,
    facts() {
      const lp = tools.find((t) => t.leakproof && t.wall !== undefined);
      const gitFloor = tools.find((t) => t.short === 'node + git' && t.wall !== undefined);
      if (!lp || !gitFloor || tools[0].wall === undefined) return [];
      return [
        `node + git costs +${((gitFloor.wall - tools[0].wall) * 1000).toFixed(0)} ms over node -e 0 (child_process, the spawns, git's own time); leakproof staged +${((lp.wall - gitFloor.wall) * 1000).toFixed(0)} ms over that (its own work)`,
      ];
    },
    targets() {
      const lp = tools.find((t) => t.leakproof && t.wall !== undefined);
      if (!lp || tools[0].wall === undefined) return [];
      const extra = (lp.wall - tools[0].wall) * 1000;
      const lines = [targetLine('≤ node -e 0 + 50 ms', extra <= 50, `+${extra.toFixed(0)} ms`)];
      for (const [short, label] of [
        ['with config', 'with a config file'],
        ['rule disabled', 'with a rule disabled'],
        ['rule folder', 'with a rule folder'],
        ['init hook', 'the hook init writes'],
      ]) {
        const withConfig = tools.find((t) => t.short === short && t.wall !== undefined);
        if (!withConfig) continue;
        // Each row against the node start-up it pays: the hook's skips NODE_EXTRA_CA_CERTS.
        const floor = (short === 'init hook' && tools.find((t) => t.short === 'node -e 0, no extra CA' && t.wall !== undefined)) || tools[0];
        const extraWithConfig = (withConfig.wall - floor.wall) * 1000;
        lines.push(targetLine(`${label}: ≤ ${floor.short} + 50 ms`, extraWithConfig <= 50, `+${extraWithConfig.toFixed(0)} ms`));
      }
      return lines;
    },
  };
}

function firstCommitTask(env, commands) {
  const files = run('git', ['diff', '--cached', '--name-only', '-z'], { cwd: FIRST_COMMIT }).split('\0').filter(Boolean);
  const inputBytes = files.reduce((n, f) => n + statSync(join(FIRST_COMMIT, f)).size, 0);
  const notes = [];
  const tools = [];
  if (commands.has('staged')) {
    tools.push({ name: 'leakproof staged', short: 'leakproof', leakproof: true, cmd: 'node', args: [LEAKPROOF, 'staged', '--format', 'json'], count: countLeakproof });
  } else notes.push('`leakproof staged` does not exist yet in this build: skipped (peers still timed)');
  if (env.rg) {
    tools.push({ name: `rg (${RG_PATTERNS.length} regexes) on the same files`, short: 'rg', cmd: 'rg', args: [...rgArgs, '--hidden', '-g', '!.git'], count: countRg });
  } else notes.push('ripgrep not installed (apt-get install ripgrep): skipped');
  if (env.gitSecrets) {
    tools.push({ name: 'git secrets --pre_commit_hook', short: 'git-secrets', cmd: 'git', args: ['secrets', '--pre_commit_hook', '--'], count: countGitSecrets });
  } else notes.push('git-secrets not installed (apt-get install git-secrets): skipped');
  for (const t of tools) t.cwd = FIRST_COMMIT;
  return {
    key: 'first-commit',
    title: "pre-commit, largest case: a whole tree staged as a repository's first commit",
    input: [`${files.length} staged files, ${fmtMB(inputBytes)} (the work tree's files, no HEAD yet)`],
    inputBytes,
    tools,
    notes,
    targets() {
      const lp = tools.find((t) => t.leakproof && t.wall !== undefined);
      if (!lp || Number.isNaN(lp.rssMB)) return [];
      return [targetLine('peak RSS < 300 MB', lp.rssMB < 300, `${lp.rssMB.toFixed(0)} MB`)];
    },
  };
}

/** `describe(commits, blobs, bytes)`: the input line; `key` and `title` name the task. */
function historyTask(env, commands, { key, title, repo, describe }) {
  const objects = run('git', ['cat-file', '--batch-all-objects', '--batch-check=%(objecttype) %(objectsize)'], { cwd: repo })
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '));
  const blobs = objects.filter(([type]) => type === 'blob');
  const inputBytes = blobs.reduce((n, [, size]) => n + Number(size), 0);
  const commits = objects.filter(([type]) => type === 'commit').length;
  const notes = [];
  const tools = [];
  if (commands.has('history')) {
    tools.push({ name: 'leakproof history', short: 'leakproof', leakproof: true, cmd: 'node', args: [LEAKPROOF, 'history', '--format', 'json'], count: countLeakproof });
    // A rerun on the same history: the warm-up run fills the cache, the timed runs read it.
    if (run('node', [LEAKPROOF, 'history', '--help']).includes('--cache')) {
      tools.push({ name: 'leakproof history --cache, a rerun (the warm-up run filled the cache)', short: 'rerun --cache', cmd: 'node', args: [LEAKPROOF, 'history', '--cache', '--format', 'json'], count: countLeakproof });
    } else notes.push('`leakproof history --cache` does not exist yet in this build: skipped');
  } else notes.push('`leakproof history` does not exist yet in this build: skipped (peers still timed)');
  tools.push({ name: 'git cat-file --batch-all-objects --batch', short: 'cat-file', cmd: 'git', args: ['cat-file', '--batch-all-objects', '--batch'], discardStdout: true });
  const patterns = `-f ${PATTERNS_FILE}`;
  if (env.rg) {
    // -a: the stream holds trees (binary); without it rg stops at the first NUL byte.
    tools.push({ name: 'node reading cat-file --batch, nothing else (the floor of a Node scanner)', short: 'node reads', cmd: 'node', args: [GIT_FLOOR, JSON.stringify([['cat-file', '--batch-all-objects', '--batch']])] });
    tools.push({ name: 'cat-file --batch | rg', short: 'cat-file|rg', cmd: 'bash', args: ['-c', `git cat-file --batch-all-objects --batch | rg --no-config -a -c ${patterns}`], count: countRg });
    tools.push({ name: 'git log -p --all | rg', short: 'log -p|rg', cmd: 'bash', args: ['-c', `git log -p --all | rg --no-config -a -c ${patterns}`], count: countRg });
  } else notes.push('ripgrep not installed (apt-get install ripgrep): the rg pipelines are skipped');
  if (env.gitSecrets) {
    tools.push({ name: 'git secrets --scan-history', short: 'git-secrets', cmd: 'git', args: ['secrets', '--scan-history'], count: countGitSecrets });
  } else notes.push('git-secrets not installed (apt-get install git-secrets): skipped');
  for (const t of tools) t.cwd = repo;
  return {
    key,
    title,
    input: [describe(commits, blobs.length, inputBytes)],
    inputBytes,
    tools,
    notes,
    targets() {
      const lp = tools.find((t) => t.leakproof && t.wall !== undefined);
      if (!lp) return [];
      const out = [];
      const rg = tools.find((t) => t.short === 'cat-file|rg' && t.wall !== undefined);
      const gs = tools.find((t) => t.short === 'git-secrets' && t.wall !== undefined);
      if (rg) out.push(targetLine('no slower than cat-file | rg', lp.wall <= rg.wall, fmtRatio(lp.wall / rg.wall)));
      if (gs) out.push(targetLine('faster than git-secrets', lp.wall < gs.wall, fmtRatio(lp.wall / gs.wall)));
      if (!Number.isNaN(lp.rssMB)) out.push(targetLine('peak RSS < 300 MB', lp.rssMB < 300, `${lp.rssMB.toFixed(0)} MB`));
      return out;
    },
    facts() {
      return [...floorFacts(tools, 'node reads', 'cat-file|rg', [['no slower than cat-file | rg', 'cat-file|rg', 1]]), ...rerunFact(tools, 'cat-file|rg')];
    },
  };
}

/**
 * The lines for a task's floor row (a Node process that reads the input and does nothing else):
 * how much of leakproof's time and CPU that is, and what each target leaves for detection. Every
 * task here is CPU-bound on the bench machine, so a run cannot take less wall time than its CPU
 * time spread over all cores: a target of T seconds allows T × cores of CPU in all, and the
 * floor's CPU is spent in any case. `budgets`: [target, peer, factor] for the target "leakproof's
 * time ≤ factor × the peer's".
 */
function floorFacts(tools, floorShort, peerShort, budgets) {
  const lp = tools.find((t) => t.leakproof && t.wall !== undefined);
  const floor = tools.find((t) => t.short === floorShort && t.wall !== undefined);
  const peer = tools.find((t) => t.short === peerShort && t.wall !== undefined);
  if (!lp || !floor) return [];
  const vsPeer = peer ? ` (${fmtRatio(floor.wall / peer.wall)} ${peerShort}'s time)` : '';
  const lines = [`a Node process that only reads the input takes ${floor.wall.toFixed(3)} s${vsPeer}; leakproof ${(lp.wall - floor.wall).toFixed(3)} s more, its detection`];
  if (Number.isNaN(lp.cpu) || Number.isNaN(floor.cpu)) return lines;
  const cores = os.cpus().length;
  const detectionCpu = lp.cpu - floor.cpu;
  for (const [target, short, factor] of budgets) {
    const other = tools.find((t) => t.short === short && t.wall !== undefined);
    if (!other) continue;
    const allowed = factor * other.wall * cores;
    const left = allowed - floor.cpu;
    const head = `"${target}" allows at most ${allowed.toFixed(2)} s of CPU (${(factor * other.wall).toFixed(3)} s on ${cores} cores)`;
    if (left <= 0) lines.push(`${head}: less than the floor's ${floor.cpu.toFixed(2)} s`);
    else lines.push(`${head}: ${left.toFixed(2)} s beyond the floor's ${floor.cpu.toFixed(2)} s for detection, which takes ${detectionCpu.toFixed(2)} s of CPU now (${fmtRatio(detectionCpu / left)} that)`);
  }
  return lines;
}

/** The line for a task's `--cache` rerun row: against the cold run and a peer. */
function rerunFact(tools, peerShort) {
  const lp = tools.find((t) => t.leakproof && t.wall !== undefined);
  const rerun = tools.find((t) => t.short === 'rerun --cache' && t.wall !== undefined);
  const peer = tools.find((t) => t.short === peerShort && t.wall !== undefined);
  if (!lp || !rerun) return [];
  const vsPeer = peer ? `, ${fmtRatio(rerun.wall / peer.wall)} ${peerShort}'s time` : '';
  return [`a rerun with --cache (not the targets' cold run): ${rerun.wall.toFixed(3)} s, ${fmtRatio(lp.wall / rerun.wall)} faster than the cold run${vsPeer}`];
}

// ---------------------------------------------------------------------------------------------

function toolVersion(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n')[0] : 'unknown';
}

async function main() {
  const options = parseCli();
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) fail('dist/ is missing: run `npm run build` first (`npm run bench` does)');
  mkdirSync(WORK, { recursive: true });
  writeFileSync(PATTERNS_FILE, `${RG_PATTERNS.map((p) => `(?-u)${p}`).join('\n')}\n`);
  rmSync(STARTUP_CACHE, { recursive: true, force: true });
  process.env.LEAKPROOF_CACHE_DIR = STARTUP_CACHE; // every leakproof run below inherits it
  const env = { rg: onPath('rg'), gitSecrets: onPath('git-secrets') };
  const want = (task) => !options.only || options.only === task;
  const commands = leakproofCommands();

  if (want('worktree') || want('staged') || want('first-commit')) buildWorktree();
  if (want('first-commit')) buildFirstCommit();
  if (want('history')) buildHistory(options.historyVersions);
  if (want('dev-history')) {
    buildWorktree(); // its files are what the dev history edits
    buildDevHistory(options.devCommits);
  }
  if (env.gitSecrets) {
    if (want('worktree') || want('staged')) configureGitSecrets(WORKTREE);
    if (want('first-commit')) configureGitSecrets(FIRST_COMMIT);
    if (want('history')) configureGitSecrets(HISTORY);
    if (want('dev-history')) configureGitSecrets(DEV_HISTORY);
  }

  const head = run('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO }).trim();
  const dirty = run('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src', 'rules'], { cwd: REPO }).trim() ? ' + uncommitted changes in src/ or rules/' : '';
  console.log('# leakproof bench');
  console.log(`   leakproof ${head}${dirty} (built dist/) · node ${process.version} · ${os.cpus().length} cores · load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at start`);
  console.log(`   peers: ${env.rg ? toolVersion('rg', ['--version']) : 'ripgrep absent'} · ${env.gitSecrets ? 'git-secrets' : 'git-secrets absent'} (${toolVersion('git', ['--version'])}) · secretlint ${JSON.parse(readFileSync(join(REPO, 'node_modules', 'secretlint', 'package.json'), 'utf8')).version} (recommend preset)`);
  console.log(`   method: 1 warm-up + ${options.runs} timed runs per command, interleaved; wall = median (min–max); ${HAVE_TIME ? 'CPU (user+sys) and peak RSS from /usr/bin/time' : 'CPU and peak RSS not measured: /usr/bin/time absent (apt-get install time)'}; shared machine, so expect noise`);
  console.log(`   leakproof's start-up cache: ${STARTUP_CACHE}, emptied now, so each command's warm-up run fills it (a hook's steady state)`);
  console.log('   "found" is each tool\'s own unit (leakproof findings, rg matching lines, git-secrets lines, secretlint messages); "leakproof ÷ tool" < 1 means leakproof is faster');

  const results = [];
  const finish = (task) => {
    printTask(task);
    results.push({
      task: task.key,
      input: task.input,
      inputBytes: task.inputBytes,
      notes: task.notes,
      targets: task.targets?.() ?? [],
      facts: task.facts?.() ?? [],
      tools: task.tools.map((t) => ({
        name: t.name,
        command: [t.cmd, ...t.args].join(' '),
        error: t.error,
        wallMedianS: t.wall,
        wallMinS: t.wallMin,
        wallMaxS: t.wallMax,
        cpuMedianS: Number.isNaN(t.cpu) ? undefined : t.cpu,
        peakRssMB: Number.isNaN(t.rssMB) ? undefined : t.rssMB,
        mbPerS: t.wall && task.inputBytes ? task.inputBytes / 1e6 / t.wall : undefined,
        findings: t.findings,
      })),
    });
  };

  if (want('worktree')) {
    const task = worktreeTask(env);
    measureAll(task.tools, options.runs);
    finish(task);
  }
  if (want('staged')) {
    const { files, restore } = stageThreeFiles();
    let hook;
    try {
      if (commands.has('init')) hook = await installInitHook();
      const task = stagedTask(env, commands, files, hook, await stagedGitCommands());
      const runs = Math.max(options.runs, STAGED_MIN_RUNS);
      if (runs > options.runs) task.notes.push(`${runs} timed runs per command (at least ${STAGED_MIN_RUNS} for this task, whatever --runs says)`);
      measureAll(task.tools, runs);
      finish(task);
    } finally {
      hook?.remove();
      restore();
    }
  }
  if (want('first-commit')) {
    const task = firstCommitTask(env, commands);
    measureAll(task.tools, options.runs);
    finish(task);
  }
  if (want('history')) {
    const plan = HISTORY_PACKAGES.map(({ name }) => name).join(', ');
    const planted = JSON.parse(readFileSync(join(WORK, 'history-planted.json'), 'utf8'));
    const task = historyTask(env, commands, {
      key: 'history',
      title: 'history: every commit of the history repository',
      repo: HISTORY,
      describe: (commits, blobs, bytes) => `${commits} commits (${plan}; one per published version), ${blobs} unique blobs, ${fmtMB(bytes)}; planted: ${planted.length} secrets, each in one commit only`,
    });
    measureAll(task.tools, options.runs);
    finish(task);
  }
  if (want('dev-history')) {
    const planted = JSON.parse(readFileSync(join(WORK, 'dev-history-planted.json'), 'utf8'));
    const task = historyTask(env, commands, {
      key: 'dev-history',
      title: "history shaped like a project's own: small edits to a few files per commit",
      repo: DEV_HISTORY,
      describe: (commits, blobs, bytes) => `${commits} commits (the first imports ${DEV_HISTORY_FILES} of the work tree's files, each later one edits 1–3 of them in a few lines), ${blobs} unique blobs, ${fmtMB(bytes)}; planted: ${planted.length} secrets, each taken out 1–20 commits later`,
    });
    measureAll(task.tools, options.runs);
    finish(task);
  }

  const out = join(WORK, 'results.json');
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), leakproof: head + dirty, node: process.version, cores: os.cpus().length, runs: options.runs, results }, null, 2)}\n`);
  console.log(`\nresults: ${out.slice(REPO.length + 1)}`);
}

await main();
