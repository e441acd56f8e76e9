/** Errors the user can fix: printed as one line each, exit code 2, no stack trace. */
export class UsageError extends Error {}

const KNOWN = new Set(['UsageError', 'ConfigError', 'PathError', 'GitError', 'RuleDefinitionError']);

export function isKnownError(error: unknown): error is Error {
  return error instanceof Error && KNOWN.has(error.constructor.name);
}
