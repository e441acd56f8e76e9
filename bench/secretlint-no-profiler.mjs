// `node --import ./bench/secretlint-no-profiler.mjs secretlint …`: secretlint with its profiler
// replaced by a no-op. secretlint 11 always records performance marks and searches them linearly
// (secretlint issue #1653), which makes large scans quadratic; this row shows secretlint's own cost.
import { register } from 'node:module';

register(new URL('./secretlint-no-profiler-hooks.mjs', import.meta.url));
