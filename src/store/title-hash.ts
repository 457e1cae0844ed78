/**
 * A 48-bit hash of a folded title (model.ts `titleKey`), stored in papers.title_hash and
 * indexed to find papers by title: a title-only paper (copied page text) meets its arXiv id
 * that way. The index of 6-byte integers is ~2 MB per 100k papers where the folded titles
 * themselves take over ten times that (column + index); a hash match is confirmed by
 * comparing the folded titles, so a collision costs one extra row read, never a wrong merge.
 */
export function titleHash(key: string): number {
  // Two FNV-1a passes with different offsets: 32 + 16 bits, an exact integer in a double.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return (a >>> 0) * 0x10000 + (b >>> 16);
}
