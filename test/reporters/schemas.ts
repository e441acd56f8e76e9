/**
 * Validators for reporter output: the official SARIF 2.1.0 schema shipped in fixtures/schemas/
 * and our own JSON report schema in schema/. Both are compiled with Ajv (draft-07) and ajv-formats.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { REPO_ROOT } from '../helpers/index.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

function compile(schema: object): ValidateFunction {
  // strict: false because the SARIF schema uses draft-04 keywords Ajv does not know (e.g. `id`).
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Record<string, unknown>;
}

/** The OASIS schema declares draft-04; Ajv 8 ships draft-07, which reads every keyword it uses the same way. */
export function sarifValidator(): ValidateFunction {
  const { $schema: _draft04, id: _id, ...schema } = readJson('fixtures/schemas/sarif-schema-2.1.0.json');
  return compile(schema);
}

export function reportValidator(): ValidateFunction {
  return compile(readJson('schema/report.schema.json'));
}

/** Ajv errors as short lines, for readable assertion failures. */
export function errorsOf(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
