/** Numbers for people. */

/**
 * `1234567` → `1,234,567`, as `toLocaleString('en')` writes an integer — without it: the first
 * call of toLocaleString loads ICU's number formatting, tens of ms on every command that prints a count.
 */
export function groupDigits(n: number): string {
  return Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n.toLocaleString('en');
}
