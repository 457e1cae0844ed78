/**
 * The papers of a line-delimited file (our JSONL, the arXiv metadata snapshot), in batches:
 * what a streamed import stores one transaction at a time. Runs in the importing thread or in
 * a worker (`_parse-worker.ts`), which parses the next batches while SQLite writes this one.
 */
import { createReadStream } from 'node:fs';
import { InputError } from '../errors.js';
import type { ParsedListing } from '../model.js';

/** What to parse, as plain data (it crosses to a worker). */
export interface ParseJob {
  file: string;
  format: 'jsonl' | 'arxiv-metadata';
  day: string | null;
  strict: boolean;
  batchSize: number;
  /** The run's clock, ISO 8601. */
  now: string;
}

/** One batch: its papers and the bytes of the file read so far. */
export interface ParsedBatch {
  items: ParsedListing['items'];
  bytes: number;
}

/** A malformed line, skipped (`--strict`: an InputError instead). */
export type BadLine = (lineNo: number, message: string) => void;

/** The file's papers in batches of `job.batchSize`; malformed lines go to `onBadLine`. */
export async function* parsedBatches(job: ParseJob, onBadLine: BadLine): AsyncGenerator<ParsedBatch> {
  // Loaded before the stream opens: an await after it would let the data run ahead unread.
  const { readMetadata } = await import('../sources/arxiv-metadata.js');
  const { papersJsonl } = await import('../sources/jsonl.js');
  const { MAX_LINE_LENGTH, splitLines } = await import('../sources/lines.js');
  const input = createReadStream(job.file);
  let bytes = 0;
  input.on('data', (chunk) => (bytes += chunk.length));
  const { file } = job;
  try {
    if (job.format === 'arxiv-metadata') {
      for await (const batch of readMetadata(input, { batchSize: job.batchSize, strict: job.strict, onBadLine, origin: file })) {
        yield { items: batch.map((paper) => ({ paper, listing: null })), bytes };
      }
      return;
    }
    const now = new Date(job.now);
    let items: ParsedListing['items'] = [];
    for await (const { no: lineNo, text: line } of splitLines(input)) {
      if (line !== null && line.trim() === '') continue;
      try {
        // Never held whole: a 600 MB line would not even fit in one string.
        if (line === null) throw new InputError(`longer than ${MAX_LINE_LENGTH} bytes; not a papers JSONL record`);
        items.push(...papersJsonl.parse(line, { day: job.day, origin: file, now }).items);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        // The parser numbers lines within the text it was given: one line here.
        const message = err.message.replace(`${file}:1: `, '').replace(`${file}: `, '');
        if (job.strict) throw new InputError(`${file}:${lineNo}: ${message} (--strict)`);
        onBadLine(lineNo, message);
        continue;
      }
      if (items.length >= job.batchSize) {
        yield { items, bytes };
        items = [];
      }
    }
    if (items.length) yield { items, bytes };
  } finally {
    input.destroy();
  }
}
