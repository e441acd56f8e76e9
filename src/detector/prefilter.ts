/**
 * One keyword pass over a fragment decides which rules run. Built once per rule set: an
 * Aho–Corasick automaton over the lowercased keywords, folded into a dense transition table so
 * the hot loop is one table lookup per character, with ASCII case folding done by the table.
 */
export class Prefilter {
  private readonly classOf = new Uint8Array(128);
  /** Transitions, indexed by `state * classes + class`, holding the next state pre-multiplied by the class count. */
  private readonly delta: Int32Array;
  /** For each (pre-multiplied) state, the rule indexes whose keywords end there (through failure links). */
  private readonly outputs: (readonly number[] | undefined)[];
  /** 1 where `outputs` has an entry: a typed-array test keeps the hot loop monomorphic. */
  private readonly hasOutput: Uint8Array;
  /** Rules that have no keyword (or a non-ASCII one) and so run on every fragment. */
  private readonly alwaysRun: readonly number[];
  private readonly gatedCount: number;

  constructor(keywordsByRule: readonly (readonly string[])[]) {
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

    // Trie.
    const children: Map<number, number>[] = [new Map()];
    const out: Set<number>[] = [new Set()];
    for (const { rule, keywords } of gated) {
      for (const k of keywords) {
        let s = 0;
        for (let i = 0; i < k.length; i++) {
          const cls = this.classOf[k.charCodeAt(i)];
          let next = children[s].get(cls);
          if (next === undefined) {
            next = children.length;
            children.push(new Map());
            out.push(new Set());
            children[s].set(cls, next);
          }
          s = next;
        }
        out[s].add(rule);
      }
    }

    // Breadth-first: failure links folded into a full DFA table.
    const states = children.length;
    const delta = new Int32Array(states * classes);
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let cls = 0; cls < classes; cls++) {
      const next = children[0].get(cls);
      if (next !== undefined) {
        delta[cls] = next;
        queue.push(next);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head];
      for (const r of out[fail[s]]) out[s].add(r);
      for (let cls = 0; cls < classes; cls++) {
        const next = children[s].get(cls);
        if (next !== undefined) {
          fail[next] = delta[fail[s] * classes + cls];
          delta[s * classes + cls] = next;
          queue.push(next);
        } else {
          delta[s * classes + cls] = delta[fail[s] * classes + cls];
        }
      }
    }
    // Pre-multiply targets so the scan loop does one add, not a multiply, per character.
    for (let i = 0; i < delta.length; i++) delta[i] *= classes;
    this.delta = delta;
    this.outputs = [];
    this.hasOutput = new Uint8Array(states * classes);
    out.forEach((set, state) => {
      if (set.size === 0) return;
      this.outputs[state * classes] = [...set];
      this.hasOutput[state * classes] = 1;
    });
  }

  /** Indexes of the rules that should run on `text`, in ascending order. */
  candidates(text: string): number[] {
    const hit = new Set<number>(this.alwaysRun);
    let remaining = this.gatedCount;
    if (remaining > 0) {
      const { classOf, delta, outputs, hasOutput } = this;
      let s = 0;
      for (let i = 0, n = text.length; i < n; i++) {
        const c = text.charCodeAt(i);
        s = delta[s + (c < 128 ? classOf[c] : 0)];
        if (hasOutput[s] === 1) {
          for (const r of outputs[s]!) {
            if (!hit.has(r)) {
              hit.add(r);
              remaining--;
            }
          }
          if (remaining === 0) break;
        }
      }
    }
    return [...hit].sort((a, b) => a - b);
  }
}
