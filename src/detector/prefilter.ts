/**
 * One keyword pass over a fragment decides which rules run. Built once per rule set: an
 * Aho–Corasick automaton over the lowercased keywords, folded into a dense transition table so
 * the hot loop is one table lookup per character, with ASCII case folding done by the table.
 * States are numbered so that those where a keyword ends come last: the loop tests one bound.
 * The loop runs in WebAssembly (prefilter.wat) when the build's kernel is given, in JS otherwise.
 *
 * The same pass records where each rule's anchors start (`RuleMeta.anchors`: literals one of
 * which every match of the rule starts with), so such a rule tries its regex only there.
 */
import { isAscii } from 'node:buffer';
/**
 * A built prefilter as plain data, so the build can precompute it for the default rule set and the
 * CLI can load it instead of building the automaton at every start (`key` says for which keywords).
 */
export interface PrefilterTables {
  key: string;
  classOf: Uint8Array;
  /**
   * The transitions: the entry at (state / 4 + class) holds the next state. A state is a byte
   * offset into this table (its number times the class count, times 4), so the kernel steps with an
   * add and a load, and the tables load without any per-entry work.
   */
  delta: Int32Array;
  /** States at or above this one have outputs. */
  outputFrom: number;
  /** The longest keyword or anchor (the kernel's interleaved walks overlap by this less one). */
  longest: number;
  /**
   * The outputs, flat as the walk reads them: for the output state numbered `index` from
   * `outputFrom`, `outputData` from `outputAt[index]` holds its rule count, those rules (ascending),
   * its anchor count, and that many pairs (rule, anchor length) for the anchors that end there.
   */
  outputAt: Int32Array;
  outputData: Int32Array;
  alwaysRun: number[];
  gatedCount: number;
}

/** What a prefilter is built from: each rule's keywords, and the anchors of the rules that have them. */
export interface PrefilterOptions {
  /** Each rule's anchors (undefined or empty: the rule has none). */
  anchorsByRule?: readonly (readonly string[] | undefined)[];
  /** Tables built ahead of time; used only if built for exactly these keywords and anchors. */
  tables?: PrefilterTables;
  /** Builds the tables when `tables` do not fit (default `buildTables`; the CLI's goes through its start-up cache). */
  build?: typeof buildTables;
  /** The bytes of dist/prefilter.wasm; without them the loop runs in JS. */
  kernel?: Uint8Array;
}

/**
 * How the tables are laid out: raised whenever `buildTables` changes what it builds, so tables a
 * previous build wrote are built again rather than used. (2: UTF-8 leads are no longer a class.
 * 3: the outputs are stored flat, as the walk reads them. 4: states are byte offsets.)
 */
const TABLES_VERSION = 4;

/**
 * Identifies a keyword and anchor list (and the table layout): tables built for one list are only
 * used for the same list.
 */
export function prefilterKey(keywordsByRule: readonly (readonly string[])[], anchorsByRule: readonly (readonly string[] | undefined)[] = []): string {
  return JSON.stringify([TABLES_VERSION, keywordsByRule, keywordsByRule.map((_, rule) => anchorsByRule[rule] ?? [])]);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Tables as bytes: a 4-byte header length, a JSON header, padding to 4 bytes, then the transition
 * table and the flat outputs as they lie in memory. Loading is a read and one copy, not a parse
 * (the table is ~360 KB), and allocates next to nothing: a pre-commit run loads them every time.
 */
export function encodeTables(tables: PrefilterTables): Uint8Array {
  const { delta, classOf, outputAt, outputData, ...rest } = tables;
  const header = Buffer.from(JSON.stringify({ ...rest, classOf: [...classOf], deltaLength: delta.length, outputAtLength: outputAt.length, outputDataLength: outputData.length, littleEndian: LITTLE_ENDIAN }));
  const start = (4 + header.length + 3) & ~3;
  const out = Buffer.alloc(start + delta.byteLength + outputAt.byteLength + outputData.byteLength);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  let at = start;
  for (const words of [delta, outputAt, outputData]) at += Buffer.from(words.buffer, words.byteOffset, words.byteLength).copy(out, at);
  return out;
}

/** The inverse of `encodeTables`; undefined for bytes it cannot trust (then the automaton is built). */
export function decodeTables(bytes: Uint8Array): PrefilterTables | undefined {
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const length = buffer.readUInt32LE(0);
    type Header = Omit<PrefilterTables, 'delta' | 'classOf' | 'outputAt' | 'outputData'> & { classOf: number[]; deltaLength: number; outputAtLength: number; outputDataLength: number; littleEndian: boolean };
    const header = JSON.parse(buffer.toString('utf8', 4, 4 + length)) as Header;
    const start = (4 + length + 3) & ~3;
    const { deltaLength, outputAtLength, outputDataLength, littleEndian, classOf, ...rest } = header;
    const words = deltaLength + outputAtLength + outputDataLength;
    if (littleEndian !== LITTLE_ENDIAN || classOf.length !== 256 || !Number.isInteger(words) || buffer.length !== start + words * 4 || typeof rest.outputFrom !== 'number' || typeof rest.longest !== 'number') return undefined;
    // One output state per class-count entries of the table from outputFrom on.
    if (outputAtLength * (Math.max(...classOf) + 1) * 4 !== deltaLength * 4 - rest.outputFrom) return undefined;
    // A copy: typed arrays need an aligned offset, and the file buffer may not give one.
    const all = new Int32Array(words);
    new Uint8Array(all.buffer).set(buffer.subarray(start));
    return {
      ...rest,
      classOf: Uint8Array.from(classOf),
      delta: all.subarray(0, deltaLength),
      outputAt: all.subarray(deltaLength, deltaLength + outputAtLength),
      outputData: all.subarray(deltaLength + outputAtLength),
    };
  } catch {
    return undefined;
  }
}

/**
 * Where each of these rules (keywords and anchors) is in the rule list `tables` were built for,
 * when that list holds them all in the same order (a config that disables or selects rules keeps a
 * subsequence of the default rules): the prefilter of the larger list serves the smaller one, and
 * its marks for the rules left out are not read. Undefined when some rule is not there.
 */
function rulesWithin(tables: PrefilterTables, keywordsByRule: readonly (readonly string[])[], anchorsByRule: readonly (readonly string[] | undefined)[]): Int32Array | undefined {
  let built: [number, string[][], string[][]];
  try {
    built = JSON.parse(tables.key) as [number, string[][], string[][]];
  } catch {
    return undefined;
  }
  if (!Array.isArray(built) || built[0] !== TABLES_VERSION || !Array.isArray(built[1]) || !Array.isArray(built[2])) return undefined;
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  const at: number[] = [];
  let next = 0;
  for (let rule = 0; rule < keywordsByRule.length; rule++) {
    const anchors = anchorsByRule[rule] ?? [];
    while (next < built[1].length && !(same(built[1][next], keywordsByRule[rule]) && same(built[2][next], anchors))) next++;
    if (next === built[1].length) return undefined;
    at.push(next++);
  }
  return Int32Array.from(at);
}

/** The few WebAssembly globals used here (TypeScript's Node types do not declare them). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  scan(state: number, from: number, end: number, outputFrom: number, events: number, eventsEnd: number): number;
  scanSplit(
    stateA: number,
    stateB: number,
    stateC: number,
    stateD: number,
    fromA: number,
    fromB: number,
    fromC: number,
    fromD: number,
    endA: number,
    lowB: number,
    lowC: number,
    highC: number,
    outputFrom: number,
    events: number,
    eventsEnd: number,
  ): number;
}

/** The kernel's memory layout (prefilter.wat): result slots, the class table (i32 per byte), the transition table. */
const KERNEL_CLASSES = 32;
const KERNEL_TABLE = KERNEL_CLASSES + 256 * 4;
/** Events (state, position) the kernel collects before JS reads them: one call per batch, not per hit. */
const KERNEL_EVENTS = 2048;
/** Input goes into the kernel's memory this many bytes at a time (small enough to stay in cache). */
const KERNEL_CHUNK = 64 * 1024;
/**
 * Below this size the JS loop is as fast as copying the bytes into the kernel's memory. Above the
 * next one (beyond the overlaps) a chunk is walked as four interleaved parts, below it once. Both
 * measured on the bench work tree, whose 17k files are mostly small.
 */
const KERNEL_MIN_BYTES = 128;
const SPLIT_MIN_BYTES = 256;

/** The WebAssembly loop (prefilter.wat) with this automaton's tables in its memory. */
class Kernel {
  private readonly exports: KernelExports;
  private readonly memory: Uint8Array;
  private readonly words: Int32Array;
  private readonly events: number;
  private readonly input: number;

  /** `overlap`: the longest pattern's length less one: what each walk but the first reads before its part. */
  constructor(
    wasm: Uint8Array,
    classOf: Uint8Array,
    delta: Int32Array,
    private readonly overlap: number,
  ) {
    this.exports = new WebAssembly.Instance(new WebAssembly.Module(wasm), {}).exports as KernelExports;
    this.events = KERNEL_TABLE + delta.byteLength;
    this.input = this.events + KERNEL_EVENTS * 8;
    const missing = this.input + KERNEL_CHUNK - this.exports.memory.buffer.byteLength;
    if (missing > 0) this.exports.memory.grow(Math.ceil(missing / 65536));
    this.memory = new Uint8Array(this.exports.memory.buffer);
    this.words = new Int32Array(this.exports.memory.buffer);
    for (let byte = 0; byte < 256; byte++) this.words[KERNEL_CLASSES / 4 + byte] = classOf[byte] * 4;
    this.words.set(delta, KERNEL_TABLE / 4);
  }

  /**
   * `Prefilter.markBytes`' walk: calls `onOutput(state, end)` at each output state until it returns
   * true. Events come in order within each part of a chunk, not across the parts.
   */
  walk(bytes: Uint8Array, outputFrom: number, onOutput: (state: number, end: number) => boolean): void {
    const { words, events, input } = this;
    const eventsEnd = events + KERNEL_EVENTS * 8;
    const deliver = (offset: number): boolean => {
      const stop = words[1] >> 2;
      for (let e = events >> 2; e < stop; e += 2) {
        if (onOutput(words[e], offset + words[e + 1] - input)) return true;
      }
      return false;
    };
    let s = 0;
    for (let offset = 0; offset < bytes.length; offset += KERNEL_CHUNK) {
      const n = Math.min(KERNEL_CHUNK, bytes.length - offset);
      this.memory.set(n === bytes.length ? bytes : bytes.subarray(offset, offset + n), input);
      if (n < SPLIT_MIN_BYTES + 3 * this.overlap) {
        for (let p = input; p < input + n; ) {
          p = this.exports.scan(s, p, input + n, outputFrom, events, eventsEnd);
          s = words[0];
          if (deliver(offset)) return;
        }
        continue;
      }
      // Four parts of equal length, walked side by side: A from the carried state, B, C and D
      // from the root, each starting `overlap` bytes before the part it reports, so that by then
      // it is in the state the whole walk would be in (a state depends on the last pattern-length
      // bytes only). B starts where A's walk ends less the overlap, C likewise after B, and D ends
      // at the chunk's end; C reports up to where D starts reporting.
      const length = Math.ceil((n + 3 * this.overlap) / 4);
      const fromB = input + length - this.overlap;
      const fromC = fromB + length - this.overlap;
      const fromD = input + n - length;
      // Plain variables: array destructuring here made TurboFan's graph of `walk` several times larger.
      let sB = 0;
      let sC = 0;
      let sD = 0;
      for (let p = input; p < input + length; ) {
        const step = p - input;
        p = this.exports.scanSplit(s, sB, sC, sD, p, fromB + step, fromC + step, fromD + step, input + length, input + length, fromC + this.overlap, fromD + this.overlap, outputFrom, events, eventsEnd);
        s = words[0];
        sB = words[2];
        sC = words[3];
        sD = words[4];
        if (deliver(offset)) return;
      }
      s = sD;
    }
  }
}

/**
 * Builds the automaton for these keywords and anchors: an Aho–Corasick trie folded into a dense
 * transition table, states with outputs numbered last.
 */
export function buildTables(keywordsByRule: readonly (readonly string[])[], anchorsByRule: readonly (readonly string[] | undefined)[]): PrefilterTables {
  const alwaysRun: number[] = [];
  // Patterns: a keyword marks its rule; an anchor records where it starts (`length` back from its end).
  const patterns: { text: string; rule: number; anchorLength?: number }[] = [];
  keywordsByRule.forEach((keywords, rule) => {
    const lower = keywords.map((k) => k.toLowerCase()).filter((k) => k.length > 0);
    // eslint-disable-next-line no-control-regex
    if (lower.length === 0 || lower.some((k) => /[^\x00-\x7f]/.test(k))) alwaysRun.push(rule);
    else for (const k of lower) patterns.push({ text: k, rule });
    const anchors = (anchorsByRule[rule] ?? []).map((a) => a.toLowerCase());
    // eslint-disable-next-line no-control-regex
    if (anchors.length > 0 && anchors.every((a) => a.length > 0 && !/[^\x00-\x7f]/.test(a))) {
      for (const a of anchors) patterns.push({ text: a, rule, anchorLength: a.length });
    }
  });

  // Character classes: one per distinct pattern character, 0 for everything else.
  const classOf = new Uint8Array(256);
  let classes = 1;
  for (const { text } of patterns) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (classOf[c] === 0) classOf[c] = classes++;
    }
  }
  for (let c = 65; c <= 90; c++) classOf[c] = classOf[c + 32]; // fold A-Z onto a-z

  // Trie, written straight into the transition table (0 = no child yet: the root is never a child).
  const maxStates = 2 + patterns.reduce((n, p) => n + p.text.length, 0);
  const trie = new Int32Array(maxStates * classes);
  const marksAt: (Set<number> | undefined)[] = [];
  const anchorsAt: (Map<string, [number, number]> | undefined)[] = [];
  let states = 1;
  for (const { text, rule, anchorLength } of patterns) {
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const slot = s * classes + classOf[text.charCodeAt(i)];
      if (trie[slot] === 0) trie[slot] = states++;
      s = trie[slot];
    }
    if (anchorLength === undefined) (marksAt[s] ??= new Set()).add(rule);
    else (anchorsAt[s] ??= new Map()).set(`${rule}:${anchorLength}`, [rule, anchorLength]);
  }

  // Breadth-first: failure links folded into a full DFA table (missing children take the
  // failure state's transition), outputs inherited along failure links.
  const fail = new Int32Array(states);
  const queue: number[] = [];
  for (let cls = 0; cls < classes; cls++) if (trie[cls] !== 0) queue.push(trie[cls]);
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head];
    for (const r of marksAt[fail[s]] ?? []) (marksAt[s] ??= new Set()).add(r);
    for (const [key, pair] of anchorsAt[fail[s]] ?? []) (anchorsAt[s] ??= new Map()).set(key, pair);
    for (let cls = 0; cls < classes; cls++) {
      const slot = s * classes + cls;
      const next = trie[slot];
      const viaFail = trie[fail[s] * classes + cls];
      if (next !== 0) {
        fail[next] = viaFail;
        queue.push(next);
      } else {
        trie[slot] = viaFail;
      }
    }
  }

  // Renumber: states without outputs first (the root stays 0, it has none), then those with
  // outputs; a state becomes its byte offset in the table (number × class count × 4).
  const hasOutput = (s: number) => (marksAt[s]?.size ?? 0) + (anchorsAt[s]?.size ?? 0) > 0;
  const order: number[] = [];
  for (let s = 0; s < states; s++) if (!hasOutput(s)) order.push(s);
  const quiet = order.length;
  for (let s = 0; s < states; s++) if (hasOutput(s)) order.push(s);
  const renamed = new Int32Array(states);
  order.forEach((old, state) => (renamed[old] = state));
  const delta = new Int32Array(states * classes);
  const outputAt = new Int32Array(states - quiet);
  const outputData: number[] = [];
  order.forEach((old, state) => {
    for (let cls = 0; cls < classes; cls++) delta[state * classes + cls] = renamed[trie[old * classes + cls]] * classes * 4;
    if (state < quiet) return;
    outputAt[state - quiet] = outputData.length;
    // Loops, not push(...spread): a keyword thousands of rules share would outgrow the call stack.
    const rules = [...(marksAt[old] ?? [])].sort((a, b) => a - b);
    outputData.push(rules.length);
    for (const rule of rules) outputData.push(rule);
    const pairs = [...(anchorsAt[old]?.values() ?? [])];
    outputData.push(pairs.length);
    for (const [rule, length] of pairs) outputData.push(rule, length);
  });
  return {
    key: prefilterKey(keywordsByRule, anchorsByRule),
    classOf,
    delta,
    outputFrom: quiet * classes * 4,
    longest: patterns.reduce((n, p) => Math.max(n, p.text.length), 0),
    outputAt,
    outputData: Int32Array.from(outputData),
    alwaysRun,
    gatedCount: keywordsByRule.length - alwaysRun.length,
  };
}

/**
 * Leads are looked for in blocks of this many bytes, and within a block that is not all ASCII, in
 * small blocks: a block or small block that is all ASCII is skipped whole.
 */
const LEAD_BLOCK = 4096;
const LEAD_SMALL_BLOCK = 256;

/** A copy of `array` with twice the room, its first `used` values kept. */
function grow(array: Int32Array, used: number): Int32Array {
  const grown = new Int32Array(Math.max(64, used * 2));
  grown.set(array.subarray(0, used));
  return grown;
}

/** A rule's recorded anchor starts stop growing here; past it, the rule searches the whole text. */
const MAX_STARTS = 1 << 18;
const NO_STARTS = new Int32Array(0);
const NO_BYTES = new Uint8Array(0);

export class Prefilter {
  private readonly tables: PrefilterTables;
  /** The class of each byte: 0 for bytes no pattern has. */
  private readonly classOf: Uint8Array;
  /** Transitions: the next state is at `state / 4 + class` (see `PrefilterTables.delta`). */
  private readonly delta: Int32Array;
  /** States at or above this one have outputs; the others have none. */
  private readonly outputFrom: number;
  /** Bytes a state takes in the table (4 per class): state offsets step by this. */
  private readonly stateSize: number;
  /** Each output state's rules and anchors (see `PrefilterTables.outputAt`). */
  private readonly outputAt: Int32Array;
  private readonly outputData: Int32Array;
  private readonly gatedCount: number;
  private readonly hasAnchors: boolean;
  /** 1 for the rules that have anchors. */
  private readonly anchored: Uint8Array;
  /** The bytes of the current pass. */
  private bytes: Uint8Array = NO_BYTES;
  /** Where its non-ASCII characters start (see `findLeads`), and the text's shrink through each. */
  private leads: Int32Array = new Int32Array(64);
  private shrinkThrough: Int32Array = new Int32Array(64);
  private leadCount = 0;
  /** Whether byte offsets of the current pass convert exactly to offsets in its text (undefined: not checked yet). */
  private exact: boolean | undefined;
  private readonly marks: Uint8Array;
  /**
   * When the tables were built for more rules than this prefilter serves (a subsequence of them):
   * where each of its rules is among theirs. `marks` and the starts are kept by the tables' rule,
   * `callerMarks` hands them out by this prefilter's.
   */
  private readonly ruleAt: Int32Array | undefined;
  private readonly callerMarks: Uint8Array;
  /** Rules not yet marked in the current pass; the pass stops at 0 when no rule has anchors. */
  private remaining = 0;
  /** Per rule with anchors: where they start in the current pass (the first `startCounts[rule]`; -1: too many). */
  private readonly starts: (Int32Array | undefined)[] = [];
  private readonly startCounts: Int32Array;
  /** dist/prefilter.wasm's bytes, instantiated on the first input large enough to use it. */
  private kernelBytes: Uint8Array | undefined;
  private kernel: Kernel | undefined;

  constructor(keywordsByRule: readonly (readonly string[])[], options: PrefilterOptions = {}) {
    const anchorsByRule = options.anchorsByRule ?? [];
    let tables = options.tables;
    if (tables !== undefined && tables.key !== prefilterKey(keywordsByRule, anchorsByRule)) {
      // A config that disables a few rules keeps the build's automaton (building one costs ~30 ms
      // at start-up, a pre-commit run's worth): its marks for the other rules go unread. One that
      // keeps only a few gets its own, which is quick to build and reports no other rule's words.
      const at = rulesWithin(tables, keywordsByRule, anchorsByRule);
      if (at !== undefined && 2 * at.length >= tables.gatedCount + tables.alwaysRun.length) this.ruleAt = at;
      else tables = undefined;
    }
    tables ??= (options.build ?? buildTables)(keywordsByRule, anchorsByRule);
    this.tables = tables;
    this.classOf = tables.classOf;
    this.delta = tables.delta;
    this.outputFrom = tables.outputFrom;
    this.stateSize = 4 * (Math.max(...tables.classOf) + 1);
    this.gatedCount = tables.gatedCount;
    this.outputAt = tables.outputAt;
    this.outputData = tables.outputData;
    // The tables' rules: these rules, or more (see `ruleAt`).
    const tableRules = tables.gatedCount + tables.alwaysRun.length;
    this.anchored = new Uint8Array(tableRules);
    let anchors = 0;
    for (let index = 0; index < this.outputAt.length; index++) {
      const at = this.outputAt[index] + 1 + this.outputData[this.outputAt[index]];
      const pairs = this.outputData[at];
      for (let k = 0; k < pairs; k++) this.anchored[this.outputData[at + 1 + 2 * k]] = 1;
      anchors += pairs;
    }
    this.hasAnchors = anchors > 0;
    this.marks = new Uint8Array(tableRules);
    this.startCounts = new Int32Array(tableRules);
    this.callerMarks = new Uint8Array(keywordsByRule.length);
    this.kernelBytes = options.kernel;
  }

  /** The automaton as plain data (see `PrefilterTables`), for the build to precompute. */
  toTables(): PrefilterTables {
    return this.tables;
  }

  /** Indexes of the rules that should run on `text`, in ascending order. */
  candidates(text: string): number[] {
    const hit = this.mark(text);
    const out: number[] = [];
    for (let r = 0; r < hit.length; r++) if (hit[r] === 1) out.push(r);
    return out;
  }

  /**
   * One pass over UTF-8 bytes: a flag per rule (1 = run it), and the anchor starts `startsOf`
   * returns. Keywords are ASCII, and the bytes of other characters match no keyword, as those
   * characters would not. The array is reused by the next call, so read it before scanning again;
   * no allocation per fragment in the hot path.
   */
  markBytes(bytes: Uint8Array): Uint8Array {
    const hit = this.marks;
    hit.fill(0);
    for (const r of this.tables.alwaysRun) hit[r] = 1;
    this.remaining = this.gatedCount;
    if (this.hasAnchors) {
      this.startCounts.fill(0);
      this.bytes = bytes;
      this.leadCount = 0;
      this.exact = undefined;
    } else if (this.gatedCount === 0) return this.forCaller(hit);
    if (this.kernel === undefined && this.kernelBytes !== undefined && bytes.length >= KERNEL_MIN_BYTES) {
      try {
        this.kernel = new Kernel(this.kernelBytes, this.classOf, this.delta, Math.max(0, this.tables.longest - 1));
      } catch {
        this.kernelBytes = undefined; // no WebAssembly here (node --jitless): the JS loop does the same
      }
    }
    if (this.kernel !== undefined && bytes.length >= KERNEL_MIN_BYTES) this.kernel.walk(bytes, this.outputFrom, this.onOutput);
    else this.walkInJs(bytes);
    return this.forCaller(hit);
  }

  /** The marks of the tables' rules, as marks of the rules this prefilter was made for. */
  private forCaller(hit: Uint8Array): Uint8Array {
    const { ruleAt } = this;
    if (ruleAt === undefined) return hit;
    for (let rule = 0; rule < ruleAt.length; rule++) this.callerMarks[rule] = hit[ruleAt[rule]];
    return this.callerMarks;
  }

  /** The same walk as prefilter.wat, for small inputs and for builds without the kernel. */
  private walkInJs(bytes: Uint8Array): void {
    const { classOf, delta, outputFrom } = this;
    let s = 0;
    for (let i = 0, n = bytes.length; i < n; i++) {
      s = delta[(s >> 2) + classOf[bytes[i]]];
      if (s >= outputFrom && this.onOutput(s, i + 1)) return;
    }
  }

  /** At an output state, after the byte before `end`: marks rules, records anchor starts; true to stop the pass. */
  private readonly onOutput = (state: number, end: number): boolean => {
    const data = this.outputData;
    let at = this.outputAt[((state - this.outputFrom) / this.stateSize) | 0];
    const hit = this.marks;
    for (let stop = at + 1 + data[at++]; at < stop; at++) {
      if (hit[data[at]] === 0) {
        hit[data[at]] = 1;
        this.remaining--;
      }
    }
    for (let stop = at + 1 + 2 * data[at++]; at < stop; at += 2) this.addStart(data[at], end - data[at + 1]);
    return this.remaining === 0 && !this.hasAnchors;
  };

  private addStart(rule: number, start: number): void {
    const n = this.startCounts[rule];
    if (n < 0) return;
    let buffer = this.starts[rule];
    if (buffer === undefined || n === buffer.length) {
      if (n >= MAX_STARTS) {
        this.startCounts[rule] = -1; // bounded memory: this rule searches the whole text instead
        return;
      }
      buffer = this.starts[rule] = grow(buffer ?? NO_STARTS, n);
    }
    buffer[n] = start;
    this.startCounts[rule] = n + 1;
  }

  /**
   * Records where the current pass's non-ASCII characters start (their UTF-8 lead bytes), in
   * order, and what each shrinks to in the text: `leadCount` -1 when there are too many to keep.
   * Done once per pass, and only when a rule asks for its anchors: most passes never need it, and
   * the blocks that are all ASCII (most of most files) are skipped at memory speed.
   */
  private findLeads(text: string): void {
    const bytes = this.bytes;
    let count = 0;
    let shrink = 0;
    for (let block = 0; block < bytes.length; block += LEAD_BLOCK) {
      const end = Math.min(bytes.length, block + LEAD_BLOCK);
      if (isAscii(bytes.subarray(block, end))) continue;
      // A block with a few non-ASCII characters (a name, a symbol in a comment) is looked at byte
      // by byte only where they are: its small blocks that are all ASCII are skipped too.
      for (let small = block; small < end; small += LEAD_SMALL_BLOCK) {
        const smallEnd = Math.min(end, small + LEAD_SMALL_BLOCK);
        if (isAscii(bytes.subarray(small, smallEnd))) continue;
        for (let i = small; i < smallEnd; i++) {
          const b = bytes[i];
          if (b < 0xc2 || b > 0xf4) continue;
          if (count === MAX_STARTS) {
            this.leadCount = -1; // bounded memory: anchor starts of this pass go unused
            return;
          }
          if (count === this.leads.length) {
            this.leads = grow(this.leads, count);
            this.shrinkThrough = grow(this.shrinkThrough, count);
          }
          shrink += this.shrinkAt(i, text);
          this.leads[count] = i;
          this.shrinkThrough[count++] = shrink;
        }
      }
    }
    this.leadCount = count;
  }

  /**
   * Where the anchors of `rule` start in `text`, the decoded bytes of the last pass: ascending
   * offsets (one may repeat). Undefined when the rule has no anchors, they occurred too often to
   * record, or byte offsets do not map exactly onto the text (invalid UTF-8), and for a second call
   * in the same pass. The array is reused by the next pass.
   */
  startsOf(callerRule: number, text: string): Int32Array | undefined {
    const rule = this.ruleAt === undefined ? callerRule : this.ruleAt[callerRule];
    const n = this.startCounts[rule];
    if (n < 0 || this.anchored[rule] === 0) return undefined;
    this.exact ??= this.checkExact(text);
    if (!this.exact) return undefined;
    const buffer = this.starts[rule];
    if (buffer === undefined) return NO_STARTS;
    const starts = buffer.subarray(0, n);
    for (let i = 1; i < n; i++) {
      if (starts[i] < starts[i - 1]) {
        starts.sort(); // anchors that end together start apart
        break;
      }
    }
    if (this.leadCount > 0) this.toTextOffsets(starts);
    this.startCounts[rule] = -1; // handed out once per pass (converted in place): a second call gets undefined
    return starts;
  }

  /**
   * Whether each byte offset maps onto one text offset: text is what a UTF-8 decoder made of the
   * bytes (a leading byte-order mark dropped), and every non-ASCII character's lead is recorded.
   * Invalid UTF-8 decodes to U+FFFD in ways the leads do not tell, so then the answer is no.
   */
  private checkExact(text: string): boolean {
    this.findLeads(text);
    if (this.leadCount < 0) return false;
    if (this.leadCount === 0) return text.length === this.bytes.length;
    if (text.includes('\uFFFD')) return false;
    return this.bytes.length - this.shrinkThrough[this.leadCount - 1] === text.length;
  }

  /** How many fewer UTF-16 units than bytes the character starting at byte `at` takes. */
  private shrinkAt(at: number, text: string): number {
    const lead = this.bytes[at];
    if (lead < 0xe0) return 1; // 2 bytes, 1 unit
    if (lead >= 0xf0) return 2; // 4 bytes, 2 units (a surrogate pair)
    // 3 bytes, 1 unit; a byte-order mark at the start is dropped by the decoder (unless the text kept it).
    const bom = at === 0 && lead === 0xef && this.bytes[1] === 0xbb && this.bytes[2] === 0xbf && text.charCodeAt(0) !== 0xfeff;
    return bom ? 3 : 2;
  }

  /** Byte offsets (ascending) to text offsets, in place: each moves back by what the characters before it shrank. */
  private toTextOffsets(starts: Int32Array): void {
    const { leads, shrinkThrough, leadCount } = this;
    // The leads before each start, found by bisection: a rule's starts are usually far fewer than
    // the leads of a non-ASCII file, and every anchored rule converts its own.
    let lo = 0;
    for (let i = 0; i < starts.length; i++) {
      let hi = leadCount;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (leads[mid] < starts[i]) lo = mid + 1;
        else hi = mid;
      }
      if (lo > 0) starts[i] -= shrinkThrough[lo - 1];
    }
  }

  /** Whether `markBytes` left any rule to run. */
  static any(marks: Uint8Array): boolean {
    return marks.includes(1);
  }

  /**
   * `markBytes` for text (change scans, tests): the text's UTF-8 bytes. Large inputs (directories,
   * history) come as bytes already, so the walk is written for bytes only.
   */
  mark(text: string): Uint8Array {
    return this.markBytes(Buffer.from(text, 'utf8'));
  }
}
