/**
 * Lines of a byte stream, each held at most once and never much past a cap: a line longer
 * than `maxLine` bytes (a binary or corrupt file, a 600 MB line) is dropped up to its newline
 * once the chunk that passes the cap is read, and reported as too long, so memory stays
 * bounded whatever the input.
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
 * Split `input` (chunks of UTF-8 bytes, or strings) into lines; the last one needs no newline.
 * A string is taken as its UTF-8 (a surrogate pair cut between two strings is joined; a lone
 * surrogate, which UTF-8 cannot hold, becomes U+FFFD).
 *
 * Lines are found in the bytes and each is decoded on its own: a newline byte is never part of
 * a multi-byte character, so this decodes exactly as the whole stream would, without a
 * decoder's copy of every chunk or a second search of the decoded text.
 */
export async function* splitLines(input: AsyncIterable<Uint8Array | string>, maxLine = MAX_LINE_LENGTH): AsyncGenerator<Line, number, undefined> {
  let no = 0;
  // The high half of a surrogate pair that ended a string chunk, for the next one.
  let highSurrogate = '';
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
    let bytes: Buffer;
    if (typeof chunk === 'string') {
      let text = highSurrogate + chunk;
      const last = text.charCodeAt(text.length - 1);
      highSurrogate = last >= 0xd800 && last <= 0xdbff ? text.slice(-1) : '';
      if (highSurrogate) text = text.slice(0, -1);
      bytes = Buffer.from(text, 'utf8');
    } else {
      // A plain Uint8Array (a web stream's chunk) is viewed as a Buffer, not copied.
      bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (highSurrogate) bytes = Buffer.concat([Buffer.from(highSurrogate, 'utf8'), bytes]);
      highSurrogate = '';
    }
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
  if (highSurrogate) pieces.push(Buffer.from(highSurrogate, 'utf8'));
  if (!skipping && pieces.length > 0) {
    const whole = Buffer.concat(pieces);
    if (whole.length > 0) yield line(whole, 0, whole.length);
  }
  return no;
}
