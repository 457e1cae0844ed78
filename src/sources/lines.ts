/**
 * Lines of a byte stream, each held at most once and never past a cap: a line longer than
 * `maxLine` characters (a binary or corrupt file, a 600 MB line) is dropped up to its newline
 * and reported as too long, so memory stays bounded whatever the input.
 */
import { StringDecoder } from 'node:string_decoder';

/** Longest line kept, in characters: far past any real record, far below V8's string limit. */
export const MAX_LINE_LENGTH = 8 * 1024 * 1024;

/** One line (`text` without its `\n` or `\r\n`), or a line that was too long (`text` null). `no` counts from 1, blank lines included. */
export interface Line {
  no: number;
  text: string | null;
}

/** Split `input` (Buffers decoded as UTF-8, or strings) into lines; the last one needs no newline. */
export async function* splitLines(input: AsyncIterable<Buffer | string>, maxLine = MAX_LINE_LENGTH): AsyncGenerator<Line, number, undefined> {
  // Decoding chunk by chunk: a multi-byte character may straddle two chunks.
  const decoder = new StringDecoder('utf8');
  let no = 0;
  let rest = '';
  // Inside an over-long line: drop text up to its newline.
  let skipping = false;
  const line = (raw: string): Line => {
    no += 1;
    if (raw.length > maxLine) return { no, text: null };
    return { no, text: raw.endsWith('\r') ? raw.slice(0, -1) : raw };
  };
  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (skipping) {
      const nl = text.indexOf('\n');
      if (nl < 0) continue;
      text = text.slice(nl + 1);
      skipping = false;
    }
    // Search for newlines only in the new text: a long line spread over many chunks
    // is then scanned once, not once per chunk.
    let from = rest.length;
    rest += text;
    let start = 0;
    for (let nl = rest.indexOf('\n', from); nl >= 0; nl = rest.indexOf('\n', from)) {
      yield line(rest.slice(start, nl));
      start = from = nl + 1;
    }
    rest = rest.slice(start);
    if (rest.length > maxLine) {
      rest = '';
      skipping = true;
      no += 1;
      yield { no, text: null };
    }
  }
  const tail = decoder.end();
  if (!skipping) rest += tail;
  if (rest !== '') yield line(rest);
  return no;
}
