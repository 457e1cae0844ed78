/**
 * Neutralize untrusted remote text (titles, abstracts, author names) before it is
 * printed as text: escape sequences, control characters, bidi controls and invisible
 * characters are removed. JSON output keeps the raw text (STYLE.md §3).
 *
 * `util.stripVTControlCharacters` is not enough: it leaves CR, BEL, BS, bidi overrides
 * and DCS payloads (the bug class of git CVE-2024-52005 and
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

// What escapeVisible and jsonForTerminal rewrite: the code points sanitize removes, plus
// U+2028/U+2029 (line and paragraph separators), which some terminals and viewers break on.
const CONTROLS = String.raw`\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}\ud800-\udfff`;
const VISIBLE = new RegExp(`[${CONTROLS}]`, 'gu');
// In text for a terminal \r stays only as half of a CRLF line end (CSV's).
const VISIBLE_TEXT = new RegExp(`\\r(?!\\n)|[${CONTROLS.replace(String.raw`\x0b-\x1f`, String.raw`\x0b\x0c\x0e-\x1f`)}]`, 'gu');
const HAS_CONTROL = new RegExp(`[${CONTROLS}]`, 'u');

/** A code point as the escape a person can read: `\x1b`, `\u202e`, `\u{e0041}`. */
function visibleEscape(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = cp.toString(16);
  return cp <= 0xff ? `\\x${hex.padStart(2, '0')}` : cp <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
}

/**
 * Every control, bidi, zero-width, tag and lone-surrogate code point written as its escape
 * (`ESC ] 0 ; x BEL` → `\x1b]0;x\x07`), so nothing drives the terminal but a person still sees
 * that something was there. `\n` and `\t` stay.
 */
export function escapeVisible(text: string): string {
  if (!HAS_CONTROL.test(text)) return text;
  return text.replace(VISIBLE, visibleEscape);
}

/**
 * JSON text with every such code point as a `\uXXXX` escape (a pair for astral ones): still
 * valid JSON that parses to the same data. Raw, they can only be inside strings, because
 * JSON.stringify writes its own structure in ASCII.
 */
export function jsonForTerminal(json: string): string {
  if (!HAS_CONTROL.test(json)) return json;
  return json.replace(VISIBLE, (ch) => {
    let out = '';
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

/** What stdout's data looks like: JSON (escaped as JSON) or text (escaped visibly). */
export type DataKind = 'json' | 'text';

/**
 * Data on its way to stdout. Into a pipe or file it is exact; on a terminal, whatever could
 * drive the terminal is escaped — JSON with `\u` escapes (same data), text visibly
 * (`\x1b`), keeping `\n`, `\t` and CSV's CRLF.
 */
export function forTerminal(stdoutIsTTY: boolean, text: string, kind: DataKind): string {
  if (!stdoutIsTTY || !HAS_CONTROL.test(text)) return text;
  return kind === 'json' ? jsonForTerminal(text) : text.replace(VISIBLE_TEXT, visibleEscape);
}
