/**
 * Terminal display width (East Asian wide = 2, combining marks = 0) and the truncating,
 * padding and word wrapping built on it. Input is sanitized text (see sanitize.ts) that
 * may carry SGR color codes the renderer added; those count as zero columns and are
 * never split.
 */

/** SGR reset: every attribute back to default. */
const RESET = '\x1b[0m';

// SGR only (`ESC [ params m`): the renderer adds nothing else, and sanitize removed
// everything else from remote text.
const SGR = /\x1b\[[0-9;:]*m/g;

// One unit that must stay together: an SGR sequence, a regional-indicator pair (a flag),
// or a code point with its combining marks, variation selectors and skin-tone modifiers.
const UNIT = /\x1b\[[0-9;:]*m|[\u{1f1e6}-\u{1f1ff}]{2}|[^][\p{Mn}\p{Me}\p{Mc}\u{1f3fb}-\u{1f3ff}]*/gu;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// Zero columns: nonspacing and enclosing marks, format characters (ZWJ, bidi; the soft
// hyphen is sized earlier), and conjoining Hangul medial vowels and final consonants
// (they join the preceding syllable), as glibc's wcwidth.
const ZERO_CLASS = String.raw`\p{Mn}\p{Me}\p{Cf}\u1160-\u11ff\ud7b0-\ud7ff`;
const ZERO = new RegExp(`^[${ZERO_CLASS}]$`, 'u');
// Format characters that are drawn (Arabic number signs and the like): 1 column, as glibc.
const PREPENDED = /^[\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u{110bd}\u{110cd}]$/u;
const EMOJI_PRESENTATION = /^\p{Emoji_Presentation}$/u;
const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;
// Code points that need UNIT grouping or a property test to size: everything ZERO and
// EMOJI_PRESENTATION match, spacing marks, skin tones, regional indicators, and ESC (for
// SGR). Text without any, such as most CJK prose, is sized one code point at a time from
// the WIDE table: a regex test per character made that 8× slower.
const SPECIAL = new RegExp(
  String.raw`[\x1b${ZERO_CLASS}\p{Mc}\p{Emoji_Presentation}\u{1f1e6}-\u{1f1ff}\u{1f3fb}-\u{1f3ff}]`,
  'u',
);

// East Asian Wide and Fullwidth ranges (Unicode 16) that are not emoji, as flat
// [start, end] pairs; emoji are found by \p{Emoji_Presentation}, as JS regexes have no
// East_Asian_Width property. Unassigned gaps inside a block, and the ambiguous U+3248–
// U+324F, count as wide (as in glibc): overestimating a width only leaves a blank
// column, underestimating it overflows the line. Checked against glibc's UTF-8 charmap.
const WIDE = [
  0x1100, 0x115f, 0x2329, 0x232a, 0x2e80, 0x303e, 0x3041, 0xa4c6,
  0xa960, 0xa97c, 0xac00, 0xd7a3, 0xf900, 0xfaff, 0xfe10, 0xfe19, 0xfe30, 0xfe6b, 0xff01, 0xff60,
  0xffe0, 0xffe6, 0x16fe0, 0x16fe4, 0x16ff0, 0x16ff1, 0x17000, 0x18cd5, 0x18d00, 0x18d08, 0x1aff0,
  0x1affe, 0x1b000, 0x1b2fb, 0x1f200, 0x1f265, 0x20000, 0x2fffd, 0x30000, 0x3fffd,
];

function _inWide(cp: number): boolean {
  let lo = 0;
  let hi = WIDE.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < WIDE[2 * mid]!) hi = mid - 1;
    else if (cp > WIDE[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Columns of code point `cp` when it is not SPECIAL. */
function _plainWidth(cp: number): number {
  if (cp < 0x7f) return cp >= 0x20 ? 1 : 0;
  if (cp < 0xa0) return 0; // DEL and C1: never printed after sanitize
  if (cp < 0x1100) return 1; // U+00AD soft hyphen included (glibc counts it as 1)
  return _inWide(cp) ? 2 : 1;
}

/** Columns of one code point `ch` (`cp` is its value). */
function _cpWidth(cp: number, ch: string): number {
  if (cp < 0x300) return _plainWidth(cp);
  // Before the table: U+302A and U+3099 are marks inside wide blocks.
  if (ZERO.test(ch)) return PREPENDED.test(ch) ? 1 : 0;
  if (EMOJI_PRESENTATION.test(ch)) return 2;
  return _inWide(cp) ? 2 : 1;
}

/** Columns of one UNIT match that is not SGR. */
function _unitWidth(u: string): number {
  const cp = u.codePointAt(0)!;
  const baseLen = cp > 0xffff ? 2 : 1;
  const base = u.length === baseLen ? u : u.slice(0, baseLen);
  let w = _cpWidth(cp, base);
  if (u.length === baseLen) return w;
  if (cp >= 0x1f1e6 && cp <= 0x1f1ff) return 2; // a flag: two regional indicators, one glyph
  const pictographic = w === 1 && PICTOGRAPHIC.test(base);
  for (const ch of u.slice(baseLen)) {
    const c = ch.codePointAt(0)!;
    // VS16 asks for emoji presentation: modern terminals draw ❤️ two columns wide.
    if (c === 0xfe0f) w = pictographic ? 2 : w;
    // A skin tone joins the emoji before it; on anything else it is an emoji of its own.
    else if (c >= 0x1f3fb && c <= 0x1f3ff) w = w === 2 ? 2 : w + 2;
    // Combining enclosing keycap: 1️⃣ is drawn as an emoji.
    else if (c === 0x20e3) w = 2;
    else w += _cpWidth(c, ch); // marks are 0; spacing marks (Mc) take a column
  }
  return w;
}

/**
 * Call `fn` with each unit of `s` that must stay whole (see UNIT) and its columns, until
 * `fn` returns false. SGR codes (and a stray ESC) are units of width 0.
 */
function _eachUnit(s: string, fn: (unit: string, width: number) => boolean | void): void {
  if (!SPECIAL.test(s)) {
    for (const ch of s) if (fn(ch, _plainWidth(ch.codePointAt(0)!)) === false) return;
    return;
  }
  for (const m of s.matchAll(UNIT)) {
    const u = m[0];
    if (fn(u, u.charCodeAt(0) === 0x1b ? 0 : _unitWidth(u)) === false) return;
  }
}

/** `s` without SGR (color and style) escape sequences. */
export function stripSgr(s: string): string {
  return s.includes('\x1b') ? s.replace(SGR, '') : s;
}

/** Terminal columns `s` takes: wide/fullwidth and emoji 2, combining and zero-width 0, SGR codes 0. */
export function displayWidth(s: string): number {
  if (PRINTABLE_ASCII.test(s)) return s.length;
  const t = stripSgr(s);
  if (t !== s && PRINTABLE_ASCII.test(t)) return t.length;
  let w = 0;
  _eachUnit(t, (_u, uw) => {
    w += uw;
  });
  return w;
}

// SGR code → the attribute slot it sets; codes not listed (fonts, framing) are ignored.
const _SLOT_OF: Record<number, string> = {
  1: 'bold', 2: 'dim', 3: 'italic', 4: 'underline', 5: 'blink', 6: 'blink', 7: 'inverse',
  8: 'hidden', 9: 'strike', 21: 'underline', 53: 'overline', 38: 'fg', 48: 'bg', 58: 'ulcolor',
};
for (let c = 30; c <= 37; c++) {
  _SLOT_OF[c] = _SLOT_OF[c + 60] = 'fg'; // 30–37, bright 90–97
  _SLOT_OF[c + 10] = _SLOT_OF[c + 70] = 'bg'; // 40–47, bright 100–107
}
// SGR code → the slots it turns off.
const _CLEARS: Record<number, string[]> = {
  22: ['bold', 'dim'], 23: ['italic'], 24: ['underline'], 25: ['blink'], 27: ['inverse'],
  28: ['hidden'], 29: ['strike'], 39: ['fg'], 49: ['bg'], 55: ['overline'], 59: ['ulcolor'],
};

/**
 * SGR attributes in effect, so a line cut inside colored text can close them at its end
 * and reopen them on the next line (a color must not bleed into the indent or past the
 * right edge). Attributes are kept per slot, so opening and closing many highlights
 * never makes the replayed prefix grow.
 */
class _SgrState {
  private slots = new Map<string, string>();

  apply(text: string): void {
    if (!text.includes('\x1b')) return;
    for (const m of text.matchAll(SGR)) this.applyOne(m[0]);
  }

  private applyOne(seq: string): void {
    const params = seq.slice(2, -1).split(';');
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const code = p === '' ? 0 : Number.parseInt(p, 10);
      const slot = _SLOT_OF[code];
      if (code === 0) this.slots.clear();
      else if (code === 38 || code === 48 || code === 58) {
        // Extended colors: 38;5;n or 38;2;r;g;b, unless written with colons (38:2::r:g:b).
        let n = 0;
        if (!p.includes(':')) n = params[i + 1] === '5' ? 2 : params[i + 1] === '2' ? 4 : 0;
        this.slots.set(_SLOT_OF[code]!, params.slice(i, i + 1 + n).join(';'));
        i += n;
      } else if (slot) this.slots.set(slot, p);
      else for (const s of _CLEARS[code] ?? []) this.slots.delete(s);
    }
  }

  /** True when some attribute is on. */
  get active(): boolean {
    return this.slots.size > 0;
  }

  /** The SGR sequence that turns the current attributes back on ('' when none). */
  reopen(): string {
    return this.slots.size ? `\x1b[${[...this.slots.values()].join(';')}m` : '';
  }
}

/** `s` cut to at most `width` columns, ending in `ellipsis` when cut (SGR codes kept, and reset if left open). */
export function truncate(s: string, width: number, ellipsis = '…'): string {
  width = Math.floor(width);
  if (!(width > 0)) return '';
  if (displayWidth(s) <= width) return s;
  let tail = ellipsis;
  let room = width - displayWidth(ellipsis);
  if (room < 0) {
    // No space even for the ellipsis: cut bare.
    tail = '';
    room = width;
  }
  let out = '';
  let used = 0;
  _eachUnit(s, (u, w) => {
    if (used + w > room) return false; // a wide char that does not fit is left out whole
    out += u; // SGR codes are width 0: the ones before the cut are kept
    used += w;
  });
  const state = new _SgrState();
  state.apply(out);
  return out + tail + (state.active ? RESET : '');
}

/** `s` followed by spaces up to `width` columns; never cuts `s`. */
export function padEnd(s: string, width: number): string {
  const n = width - displayWidth(s);
  return n > 0 ? s + ' '.repeat(n) : s;
}

/** Spaces up to `width` columns followed by `s`; never cuts `s`. */
export function padStart(s: string, width: number): string {
  const n = width - displayWidth(s);
  return n > 0 ? ' '.repeat(n) + s : s;
}

/** Options of `wrap`. */
export interface WrapOptions {
  /** Prefix of every line but the first (default ''). */
  indent?: string;
  /** Prefix of the first line (default ''); pass the same as `indent` to indent all lines. */
  firstIndent?: string;
}

// Where a line may break: ASCII whitespace and the breaking Unicode spaces. Not NBSP,
// U+2007 or U+202F, which exist to keep words together.
const BREAK = /[\t\n\v\f\r \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+/;

/** Word-wrap `text` to `width` display columns, one string per line; `\n\n` leaves one empty line. */
export function wrap(text: string, width: number, opts: WrapOptions = {}): string[] {
  // A `\n` is a hard break; runs of blank lines collapse to one, leading and trailing
  // ones go; runs of spaces collapse. Words wider than a line are cut at the width,
  // never inside a character, its combining marks or an SGR code. Colors open at a
  // break are reset at the line end and reopened after the next line's indent, so they
  // never paint the indent or bleed past the edge. No line is wider than `width`, except
  // a lone 2-column character when `width` is 1. `width` ≤ 0 or NaN means no wrapping
  // (a caller that got no terminal width still prints everything).
  const w = Math.floor(width);
  const unlimited = !(w > 0);
  // An indent that leaves less than one wide character of room is dropped, not overflowed.
  const fit = (prefix: string): [string, number] => {
    if (unlimited) return [prefix, Infinity];
    const room = w - displayWidth(prefix);
    return room >= 2 ? [prefix, room] : ['', w];
  };
  const [firstPrefix, firstRoom] = fit(opts.firstIndent ?? '');
  const [restPrefix, restRoom] = fit(opts.indent ?? '');

  const out: string[] = [];
  const state = new _SgrState();
  let line = ''; // content of the line being built, without prefix or reopened SGR
  let lineW = 0;
  let reopen = ''; // SGR that restores the attributes open at the end of the previous line
  let blank = false; // a blank line is due before the next visible one
  const room = () => (out.length === 0 ? firstRoom : restRoom);

  /** Emit the line being built; false when it shows nothing (its SGR codes still count). */
  const flush = (): boolean => {
    state.apply(line);
    const visible = lineW > 0;
    if (visible) {
      if (blank) out.push('');
      blank = false;
      const prefix = out.length === 0 ? firstPrefix : restPrefix;
      out.push(prefix + reopen + line + (state.active ? RESET : ''));
    }
    reopen = state.reopen();
    line = '';
    lineW = 0;
    return visible;
  };

  for (const input of text.split('\n')) {
    for (const word of input.split(BREAK)) {
      if (word === '') continue;
      const ww = displayWidth(word);
      if (ww === 0) {
        line += word; // SGR only: attach without a space
        continue;
      }
      const sep = lineW > 0 ? 1 : 0;
      if (lineW + sep + ww <= room()) {
        line += (sep ? ' ' : '') + word;
        lineW += sep + ww;
        continue;
      }
      if (lineW > 0) flush();
      if (ww <= room()) {
        line += word;
        lineW = ww;
        continue;
      }
      // Wider than a whole line (a URL, a 5,000-character token, unspaced CJK): cut it.
      _eachUnit(word, (u, uw) => {
        if (lineW > 0 && lineW + uw > room()) flush();
        line += u;
        lineW += uw;
      });
    }
    // An input line that shows nothing (empty, blanks, SGR codes only) is a blank line.
    // It is emitted before the next visible line, so leading and trailing blank lines
    // are dropped and a run of them becomes one.
    if (!flush() && out.length > 0) blank = true;
  }
  return out;
}
