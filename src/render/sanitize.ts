/**
 * Neutralize untrusted remote text (titles, abstracts, author names) before it is
 * printed as text: escape sequences, control characters, bidi controls and invisible
 * characters are removed. JSON output keeps the raw text (STYLE.md §3).
 *
 * `util.stripVTControlCharacters` is not enough: it leaves CR, BEL, BS, bidi overrides
 * and DCS payloads (NOTES.md "Output"; the bug class of git CVE-2024-52005 and
 * kubectl CVE-2021-25743).
 */

// Code points removed wherever they appear. Every escape sequence starts with one of
// them (ESC or a C1 introducer), so "contains none of these" is also the fast path.
//   C0 except \t \n; DEL; C1 U+0080–U+009F (8-bit CSI/OSC/DCS… and NEL, which some
//     terminals treat as a newline);
//   U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069: bidi marks, embeddings,
//     overrides and isolates, which reorder what is shown (Trojan Source, CVE-2021-42574);
//   U+200B–U+200D, U+2060–U+2064, U+FEFF, U+180E: zero-width characters and invisible
//     operators that hide or split text; U+206A–U+206F: deprecated invisible format controls;
//   U+FFF9–U+FFFB: interlinear annotation controls, which can hide the annotation;
//   U+E0000–U+E007F: tag characters, invisible ASCII look-alikes ("ASCII smuggling");
//   lone surrogates: with the u flag a class range of surrogates matches only unpaired
//     ones, because a valid pair is read as one astral code point.
const UNSAFE_CLASS = String.raw`[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}\ud800-\udfff]`;

const UNSAFE = new RegExp(UNSAFE_CLASS, 'u');

// One pass: escape sequences first (so their payload goes with them), then any single
// unsafe code point. Bodies stop at the next control character, so no sequence can
// swallow past a newline and the scan stays linear on hostile input.
const SEQUENCE_OR_UNSAFE = new RegExp(
  [
    // OSC / DCS / SOS / PM / APC, 7-bit (ESC ] P X ^ _): payload up to BEL or ST
    // (ESC \ or U+009C), or up to the next control when unterminated. Covers OSC 8
    // hyperlinks and OSC 0/2 window titles.
    String.raw`\x1b[\]PX^_][^\x00-\x1f\x7f-\x9f]*(?:\x07|\x1b\\|\x9c)?`,
    // The same strings introduced by 8-bit C1 (U+0090 U+0098 U+009D U+009E U+009F).
    // The terminator is required here: those code points also turn up in mojibake
    // (UTF-8 "ß" read as Latin-1 is "Ã\x9f"), and an unterminated one must not eat the
    // following words; its introducer alone is still removed below.
    String.raw`[\x90\x98\x9d-\x9f][^\x00-\x1f\x7f-\x9f]*(?:\x07|\x1b\\|\x9c)`,
    // CSI, 7-bit or 8-bit: parameter bytes (incl. private markers < = > ?), intermediate
    // bytes, final byte.
    String.raw`(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?`,
    // Every other ESC sequence (ESC ( B, ESC 7, ESC c = full reset, …) and a lone ESC.
    String.raw`\x1b[ -/]*[0-~]?`,
    UNSAFE_CLASS,
  ].join('|'),
  'gu',
);

// Whitespace that sanitizeLine folds into one space: \s minus what sanitize already
// removed, i.e. \t \n \v \f \r, space, NBSP, U+1680, U+2000–U+200A, U+2028/9, U+202F,
// U+205F, U+3000.
const WHITESPACE_RUN = /\s+/g;
const NEEDS_FOLD = /[^\S ]| {2}/;

/** Remove escape sequences, control characters except `\n` and `\t`, bidi controls, invisible characters and lone surrogates. */
export function sanitize(text: string): string {
  // Most abstracts are clean: a single character-class scan, no allocation.
  if (!UNSAFE.test(text)) return text;
  return text.replace(SEQUENCE_OR_UNSAFE, '');
}

/** `sanitize`, then every run of whitespace (tabs, newlines) becomes one space; not trimmed, so fragments can be joined. */
export function sanitizeLine(text: string): string {
  // A tab or newline inside a field would break tab-separated output into extra columns
  // or records. No trim: callers sanitize pieces of one title (around search matches)
  // and the spaces between the pieces must survive.
  const clean = sanitize(text);
  return NEEDS_FOLD.test(clean) ? clean.replace(WHITESPACE_RUN, ' ') : clean;
}
