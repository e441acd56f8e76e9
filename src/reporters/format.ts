/** Number formatting shared by the human-facing outputs (no Intl: loading it costs start-up time). */

/** `1,204`. */
export function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1 file`, `1,204 files`. */
export function plural(n: number, word: string): string {
  return `${thousands(n)} ${word}${n === 1 ? '' : 's'}`;
}
