// Module hooks for secretlint-no-profiler.mjs: resolve @secretlint/profiler to a stub of the same shape.
const STUB = `data:text/javascript,${encodeURIComponent(`
const noop = { mark() {}, async getEntries() { return []; }, async getMeasures() { return []; } };
export class SecretLintProfiler { mark() {} async getEntries() { return []; } async getMeasures() { return []; } }
export const secretLintProfiler = noop;
`)}`;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === '@secretlint/profiler') return { url: STUB, shortCircuit: true };
  return nextResolve(specifier, context);
}
