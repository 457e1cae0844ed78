/**
 * CJK text for the search index. FTS5's unicode61 tokenizer makes a whole run of Han, kana or
 * Hangul one token (Chinese and Japanese put no spaces between words), so a word inside a run
 * could not be found. The text given to the index has a zero-width space (a separator to
 * unicode61) around each CJK character, making each one a token; a query's CJK run becomes a
 * phrase of its characters (fts-query.ts), which matches those characters consecutively anywhere.
 * The stored papers keep their text; highlights read the spaced text and drop the separators.
 */

/** The character put between CJK characters in indexed text: not a token character, invisible. */
export const CJK_SEPARATOR = '\u200B';

// Han, Hiragana, Katakana (with the prolonged sound mark ー, whose script is Common), Hangul.
const CJK = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC\uFF70`;
const HAS_CJK = new RegExp(`[${CJK}]`, 'u');
// A boundary between a CJK character and a letter or digit on either side of it.
const BOUNDARY = new RegExp(`(?<=[${CJK}])(?=[\\p{L}\\p{N}])|(?<=[\\p{L}\\p{N}\\p{M}])(?=[${CJK}])`, 'gu');
const SEPARATORS = new RegExp(CJK_SEPARATOR, 'g');

/** True when `text` has a CJK character. */
export function hasCjk(text: string): boolean {
  return HAS_CJK.test(text);
}

/** `text` as the index sees it: each CJK character a word of its own (unchanged without CJK). */
export function spaceCjk(text: string): string {
  return HAS_CJK.test(text) ? text.replace(BOUNDARY, CJK_SEPARATOR) : text;
}

/** Text read from the index (highlight, snippet) without the separators spaceCjk put in. */
export function unspaceCjk(text: string): string {
  return text.includes(CJK_SEPARATOR) ? text.replace(SEPARATORS, '') : text;
}
