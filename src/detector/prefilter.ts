/**
 * One keyword pass over a fragment decides which rules run. Built once per rule set: an
 * Aho–Corasick automaton over the lowercased keywords, folded into a dense transition table so
 * the hot loop is one table lookup per character, with ASCII case folding done by the table.
 * States are numbered so that those where a keyword ends come last: the loop tests one bound.
 * The loop runs in WebAssembly (prefilter.wat) when the build's kernel is given, in JS otherwise.
 */
/**
 * A built prefilter as plain data, so the build can precompute it for the default rule set and the
 * CLI can load it instead of building the automaton at every start (`key` says for which keywords).
 */
export interface PrefilterTables {
  key: string;
  classOf: Uint8Array;
  delta: Int32Array;
  /** States at or above this (pre-multiplied) one have outputs. */
  outputFrom: number;
  outputs: [number, number[]][];
  alwaysRun: number[];
  gatedCount: number;
}

/** Identifies a keyword list: tables built for one list are only used for the same list. */
export function prefilterKey(keywordsByRule: readonly (readonly string[])[]): string {
  return JSON.stringify(keywordsByRule);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Tables as bytes: a 4-byte header length, a JSON header, padding to 4 bytes, then the transition
 * table as it lies in memory. Loading is a read and one copy, not a parse (the table is ~360 KB).
 */
export function encodeTables(tables: PrefilterTables): Uint8Array {
  const { delta, classOf, ...rest } = tables;
  const header = Buffer.from(JSON.stringify({ ...rest, classOf: [...classOf], deltaLength: delta.length, littleEndian: LITTLE_ENDIAN }));
  const start = (4 + header.length + 3) & ~3;
  const out = Buffer.alloc(start + delta.byteLength);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  Buffer.from(delta.buffer, delta.byteOffset, delta.byteLength).copy(out, start);
  return out;
}

/** The inverse of `encodeTables`; undefined for bytes it cannot trust (then the automaton is built). */
export function decodeTables(bytes: Uint8Array): PrefilterTables | undefined {
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const length = buffer.readUInt32LE(0);
    const header = JSON.parse(buffer.toString('utf8', 4, 4 + length)) as Omit<PrefilterTables, 'delta' | 'classOf'> & { classOf: number[]; deltaLength: number; littleEndian: boolean };
    const start = (4 + length + 3) & ~3;
    if (header.littleEndian !== LITTLE_ENDIAN || buffer.length !== start + header.deltaLength * 4 || typeof header.outputFrom !== 'number') return undefined;
    // A copy: typed arrays need an aligned offset, and the file buffer may not give one.
    const delta = new Int32Array(header.deltaLength);
    new Uint8Array(delta.buffer).set(buffer.subarray(start));
    const { deltaLength: _length, littleEndian: _endian, classOf, ...rest } = header;
    return { ...rest, classOf: Uint8Array.from(classOf), delta };
  } catch {
    return undefined;
  }
}

/** The few WebAssembly globals used here (TypeScript's Node types do not declare them). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  state: { value: number };
  scan(state: number, from: number, end: number, outputFrom: number): number;
}

/** Where the transition table starts in the kernel's memory (after the 256-byte class table). */
const KERNEL_TABLE = 256;
/** Input goes into the kernel's memory this many bytes at a time (small enough to stay in cache). */
const KERNEL_CHUNK = 64 * 1024;
/** Below this size the JS loop is as fast as copying the bytes into the kernel's memory. */
const KERNEL_MIN_BYTES = 512;

/** The WebAssembly loop (prefilter.wat) with this automaton's tables in its memory. */
class Kernel {
  private readonly exports: KernelExports;
  private readonly memory: Uint8Array;
  private readonly input: number;

  constructor(wasm: Uint8Array, classOf: Uint8Array, delta: Int32Array) {
    this.exports = new WebAssembly.Instance(new WebAssembly.Module(wasm), {}).exports as KernelExports;
    this.input = KERNEL_TABLE + delta.byteLength;
    const { memory } = this.exports;
    const missing = this.input + KERNEL_CHUNK - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    this.memory = new Uint8Array(memory.buffer);
    this.memory.set(classOf); // bytes 128-255 keep class 0
    new Int32Array(memory.buffer, KERNEL_TABLE, delta.length).set(delta);
  }

  /** `Prefilter.markBytes`' walk: calls `onOutput(state)` at each output state until it returns true. */
  walk(bytes: Uint8Array, outputFrom: number, onOutput: (state: number) => boolean): void {
    const { scan, state } = this.exports;
    let s = 0;
    for (let offset = 0; offset < bytes.length; offset += KERNEL_CHUNK) {
      const n = Math.min(KERNEL_CHUNK, bytes.length - offset);
      this.memory.set(n === bytes.length ? bytes : bytes.subarray(offset, offset + n), this.input);
      const end = this.input + n;
      for (let p = this.input; p < end; ) {
        p = scan(s, p, end, outputFrom);
        s = state.value;
        if (s >= outputFrom && onOutput(s)) return;
      }
    }
  }
}

export class Prefilter {
  private readonly classOf: Uint8Array = new Uint8Array(128);
  /** Transitions, indexed by `state * classes + class`, holding the next state pre-multiplied by the class count. */
  private readonly delta: Int32Array;
  /** States at or above this one (pre-multiplied) have outputs; the others have none. */
  private readonly outputFrom: number;
  /** For each output state (pre-multiplied), the rule indexes whose keywords end there (through failure links). */
  private readonly outputs: (readonly number[] | undefined)[];
  /** Rules that have no keyword (or a non-ASCII one) and so run on every fragment. */
  private readonly alwaysRun: readonly number[];
  private readonly gatedCount: number;
  private readonly marks: Uint8Array;
  /** dist/prefilter.wasm's bytes, instantiated on the first input large enough to use it. */
  private kernelBytes: Uint8Array | undefined;
  private kernel: Kernel | undefined;

  /** `kernel`: the bytes of dist/prefilter.wasm; without them the loop runs in JS. */
  constructor(keywordsByRule: readonly (readonly string[])[], precomputed?: PrefilterTables, kernel?: Uint8Array) {
    this.marks = new Uint8Array(keywordsByRule.length);
    this.kernelBytes = kernel;
    if (precomputed !== undefined && precomputed.key === prefilterKey(keywordsByRule)) {
      this.classOf = precomputed.classOf;
      this.delta = precomputed.delta;
      this.outputFrom = precomputed.outputFrom;
      this.outputs = [];
      for (const [state, rules] of precomputed.outputs) this.outputs[state] = rules;
      this.alwaysRun = precomputed.alwaysRun;
      this.gatedCount = precomputed.gatedCount;
      return;
    }
    const always: number[] = [];
    const gated: { rule: number; keywords: string[] }[] = [];
    keywordsByRule.forEach((keywords, rule) => {
      const lower = keywords.map((k) => k.toLowerCase()).filter((k) => k.length > 0);
      // eslint-disable-next-line no-control-regex
      if (lower.length === 0 || lower.some((k) => /[^\x00-\x7f]/.test(k))) always.push(rule);
      else gated.push({ rule, keywords: lower });
    });
    this.alwaysRun = always;
    this.gatedCount = gated.length;

    // Character classes: one per distinct keyword character, 0 for everything else.
    let classes = 1;
    for (const { keywords } of gated) {
      for (const k of keywords) {
        for (let i = 0; i < k.length; i++) {
          const c = k.charCodeAt(i);
          if (this.classOf[c] === 0) this.classOf[c] = classes++;
        }
      }
    }
    for (let c = 65; c <= 90; c++) this.classOf[c] = this.classOf[c + 32]; // fold A-Z onto a-z

    // Trie, written straight into the transition table (0 = no child yet: the root is never a child).
    const maxStates = 1 + gated.reduce((n, g) => n + g.keywords.reduce((m, k) => m + k.length, 0), 0);
    const trie = new Int32Array(maxStates * classes);
    const out: (Set<number> | undefined)[] = [];
    let states = 1;
    for (const { rule, keywords } of gated) {
      for (const k of keywords) {
        let s = 0;
        for (let i = 0; i < k.length; i++) {
          const slot = s * classes + this.classOf[k.charCodeAt(i)];
          if (trie[slot] === 0) trie[slot] = states++;
          s = trie[slot];
        }
        (out[s] ??= new Set()).add(rule);
      }
    }

    // Breadth-first: failure links folded into a full DFA table (missing children take the
    // failure state's transition).
    const trieDelta = trie.subarray(0, states * classes);
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let cls = 0; cls < classes; cls++) if (trieDelta[cls] !== 0) queue.push(trieDelta[cls]);
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head];
      const inherited = out[fail[s]];
      if (inherited) for (const r of inherited) (out[s] ??= new Set()).add(r);
      for (let cls = 0; cls < classes; cls++) {
        const slot = s * classes + cls;
        const next = trieDelta[slot];
        const viaFail = trieDelta[fail[s] * classes + cls];
        if (next !== 0) {
          fail[next] = viaFail;
          queue.push(next);
        } else {
          trieDelta[slot] = viaFail;
        }
      }
    }

    // Renumber: states without outputs first (the root stays 0, it has none), then those with,
    // and pre-multiply targets by the class count so the loop does one add per character.
    const order: number[] = [];
    for (let s = 0; s < states; s++) if (!out[s]?.size) order.push(s);
    const quiet = order.length;
    for (let s = 0; s < states; s++) if (out[s]?.size) order.push(s);
    const renamed = new Int32Array(states);
    order.forEach((old, state) => (renamed[old] = state));
    this.delta = new Int32Array(states * classes);
    this.outputs = [];
    order.forEach((old, state) => {
      for (let cls = 0; cls < classes; cls++) this.delta[state * classes + cls] = renamed[trieDelta[old * classes + cls]] * classes;
      if (state >= quiet) this.outputs[state * classes] = [...out[old]!];
    });
    this.outputFrom = quiet * classes;
  }

  /** The built automaton as plain data (see `PrefilterTables`). */
  toTables(keywordsByRule: readonly (readonly string[])[]): PrefilterTables {
    const outputs: [number, number[]][] = [];
    this.outputs.forEach((rules, state) => {
      if (rules) outputs.push([state, [...rules]]);
    });
    return {
      key: prefilterKey(keywordsByRule),
      classOf: this.classOf,
      delta: this.delta,
      outputFrom: this.outputFrom,
      outputs,
      alwaysRun: [...this.alwaysRun],
      gatedCount: this.gatedCount,
    };
  }

  /** Indexes of the rules that should run on `text`, in ascending order. */
  candidates(text: string): number[] {
    const hit = this.mark(text);
    const out: number[] = [];
    for (let r = 0; r < hit.length; r++) if (hit[r] === 1) out.push(r);
    return out;
  }

  /**
   * One pass over UTF-8 bytes: a flag per rule (1 = run it). Keywords are ASCII, and the bytes of
   * other characters match no keyword, as those characters would not. The array is reused by the
   * next call, so read it before scanning again; no allocation per fragment in the hot path.
   */
  markBytes(bytes: Uint8Array): Uint8Array {
    const hit = this.start();
    if (this.gatedCount === 0) return hit;
    if (this.kernel === undefined && this.kernelBytes !== undefined && bytes.length >= KERNEL_MIN_BYTES) {
      try {
        this.kernel = new Kernel(this.kernelBytes, this.classOf, this.delta);
      } catch {
        this.kernelBytes = undefined; // no WebAssembly here (node --jitless): the JS loop does the same
      }
    }
    if (this.kernel !== undefined && bytes.length >= KERNEL_MIN_BYTES) {
      let remaining = this.gatedCount;
      this.kernel.walk(bytes, this.outputFrom, (state) => {
        for (const r of this.outputs[state]!) {
          if (hit[r] === 0) {
            hit[r] = 1;
            remaining--;
          }
        }
        return remaining === 0;
      });
      return hit;
    }
    return this.markBytesInJs(bytes, hit);
  }

  /** The same walk as prefilter.wat, for small inputs and for builds without the kernel. */
  private markBytesInJs(bytes: Uint8Array, hit: Uint8Array): Uint8Array {
    const { classOf, delta, outputs, outputFrom } = this;
    let remaining = this.gatedCount;
    let s = 0;
    for (let i = 0, n = bytes.length; i < n; i++) {
      const c = bytes[i];
      s = delta[s + (c < 128 ? classOf[c] : 0)];
      if (s >= outputFrom) {
        for (const r of outputs[s]!) {
          if (hit[r] === 0) {
            hit[r] = 1;
            remaining--;
          }
        }
        if (remaining === 0) break;
      }
    }
    return hit;
  }

  /** Whether `markBytes` left any rule to run. */
  static any(marks: Uint8Array): boolean {
    return marks.includes(1);
  }

  private start(): Uint8Array {
    const hit = this.marks;
    hit.fill(0);
    for (const r of this.alwaysRun) hit[r] = 1;
    return hit;
  }

  /**
   * `markBytes` for text (change scans, tests): the text's UTF-8 bytes. Large inputs (directories,
   * history) come as bytes already, so the walk is written for bytes only.
   */
  mark(text: string): Uint8Array {
    return this.markBytes(Buffer.from(text, 'utf8'));
  }
}
