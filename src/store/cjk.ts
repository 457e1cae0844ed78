/**
 * CJK text for the search index. FTS5's unicode61 tokenizer makes a whole run of Han, kana or
 * Hangul one token (Chinese and Japanese put no spaces between words), so a word inside a run
 * could not be found. The text given to the index has a zero-width space (a separator to
 * unicode61) around each CJK character, making each one a token; a query's CJK run becomes a
 * phrase of its characters (fts-query.ts), which matches those characters consecutively anywhere.
 * The stored papers keep their text; highlights read the spaced text and drop the separators.
 */
import { CJK_CHARS, hasCjk } from '../model.js';

/** The character put between CJK characters in indexed text: not a token character, invisible. */
export const CJK_SEPARATOR = '\u200B';

// A boundary between a CJK character and a letter or digit on either side of it.
const BOUNDARY = new RegExp(`(?<=[${CJK_CHARS}])(?=[\\p{L}\\p{N}])|(?<=[\\p{L}\\p{N}\\p{M}])(?=[${CJK_CHARS}])`, 'gu');
const SEPARATORS = new RegExp(CJK_SEPARATOR, 'g');

/** `text` as the index sees it: each CJK character a word of its own (unchanged without CJK). */
export function spaceCjk(text: string): string {
  return hasCjk(text) ? text.replace(BOUNDARY, CJK_SEPARATOR) : text;
}

/** Text read from the index (highlight, snippet) without the separators spaceCjk put in. */
export function unspaceCjk(text: string): string {
  return text.includes(CJK_SEPARATOR) ? text.replace(SEPARATORS, '') : text;
}
