#!/usr/bin/env node
// Kept for scripts that call bin/leakproof.js directly; the command is bin/leakproof.cjs.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./leakproof.cjs');
