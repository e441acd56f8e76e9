/** A problem with the user's config or rule files: one line per problem, exit code 2. */
export class ConfigError extends Error {
  readonly lines: string[];
  constructor(lines: string[] | string) {
    const list = Array.isArray(lines) ? lines : [lines];
    super(list.join('\n'));
    this.lines = list;
  }
}
