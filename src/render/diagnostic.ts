/**
 * The one way anything reaches stderr: errors, warnings, notes, summaries, `--verbose`
 * stacks, commander's usage errors and the progress line. Messages quote file names, argv,
 * remote text and parser errors (V8's JSON.parse quotes the bad bytes), so every control,
 * bidi, zero-width and tag character is written as a visible escape (`\x1b`, `\u202e`):
 * nothing on stderr can set the window title, the clipboard, or reorder or hide text.
 * A unit test (test/unit/diagnostic.test.ts) keeps every other module off `stderr.write`.
 */
import { escapeVisible } from './sanitize.js';

type Stream = NodeJS.WritableStream;

// Erase the current line: the progress line is redrawn over itself.
const CLEAR_LINE = '\r\x1b[K';

/** One line on stderr; tabs and line breaks inside it become spaces, so it stays one line. */
export function diagnostic(stream: Stream, line: string): void {
  stream.write(escapeVisible(line.replace(/[\t\n]+/g, ' ')) + '\n');
}

/** Several lines as they are (a stack trace, commander's usage text), each escaped; ends with a line break. */
export function diagnosticLines(stream: Stream, text: string): void {
  stream.write(escapeVisible(text.endsWith('\n') ? text : text + '\n'));
}

/** The progress line, drawn over the current line without a line break (stderr must be a terminal). */
export function statusLine(stream: Stream, text: string): void {
  stream.write(CLEAR_LINE + escapeVisible(text.replace(/[\t\n]+/g, ' ')));
}

/** Erase the progress line. */
export function clearStatusLine(stream: Stream): void {
  stream.write(CLEAR_LINE);
}
