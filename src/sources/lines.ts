/**
 * Lines of a byte stream, each held at most once and never past a cap: a line longer than
 * `maxLine` bytes (a binary or corrupt file, a 600 MB line) is dropped up to its newline
 * and reported as too long, so memory stays bounded whatever the input.
 */

/** Longest line kept, in bytes: far past any real record (under 100 KiB), far below V8's string limit. */
export const MAX_LINE_LENGTH = 8 * 1024 * 1024;

/** One line (`text` without its `\n` or `\r\n`, the first without a byte order mark), or a line that was too long (`text` null). `no` counts from 1, blank lines included. */
export interface Line {
  no: number;
  text: string | null;
}

const NEWLINE = 0x0a;

/**
 * Split `input` (Buffers of UTF-8, or strings, taken chunk by chunk as their UTF-8) into
 * lines; the last one needs no newline.
 *
 * Lines are found in the bytes and each is decoded on its own: a newline byte is never part of
 * a multi-byte character, so this decodes exactly as the whole stream would, and it is ~5×
 * faster than a StringDecoder followed by a search of the decoded text (116 MB of JSONL:
 * 0.3 s against 1.6 s).
 */
export async function* splitLines(input: AsyncIterable<Buffer | string>, maxLine = MAX_LINE_LENGTH): AsyncGenerator<Line, number, undefined> {
  let no = 0;
  // The bytes of the line read so far, when it began in an earlier chunk.
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  // Inside an over-long line: drop bytes up to its newline.
  let skipping = false;
  const line = (bytes: Buffer, start: number, end: number): Line => {
    no += 1;
    if (end - start > maxLine) return { no, text: null };
    let raw = bytes.toString('utf8', start, end);
    // A byte order mark starts the stream, not its first line (editors on Windows write one).
    if (no === 1 && raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
    return { no, text: raw.endsWith('\r') ? raw.slice(0, -1) : raw };
  };
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    if (skipping) {
      const nl = bytes.indexOf(NEWLINE);
      if (nl < 0) continue;
      start = nl + 1;
      skipping = false;
    }
    for (let nl = bytes.indexOf(NEWLINE, start); nl >= 0; nl = bytes.indexOf(NEWLINE, start)) {
      if (pieces.length > 0) {
        pieces.push(bytes.subarray(start, nl));
        const whole = Buffer.concat(pieces);
        pieces = [];
        pieceBytes = 0;
        yield line(whole, 0, whole.length);
      } else {
        yield line(bytes, start, nl);
      }
      start = nl + 1;
    }
    if (start < bytes.length) {
      // Copied: a stream may reuse its chunk's memory once handed on.
      pieces.push(Buffer.from(bytes.subarray(start)));
      pieceBytes += bytes.length - start;
      if (pieceBytes > maxLine) {
        pieces = [];
        pieceBytes = 0;
        skipping = true;
        no += 1;
        yield { no, text: null };
      }
    }
  }
  if (!skipping && pieces.length > 0) {
    const whole = Buffer.concat(pieces);
    if (whole.length > 0) yield line(whole, 0, whole.length);
  }
  return no;
}
