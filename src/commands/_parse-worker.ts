/**
 * Worker thread of a streamed import: parses the file (`_parse.ts`) and posts its batches,
 * at most two ahead of what the importing thread has stored, so memory stays flat.
 * Started by `_bulk.ts` with the job as workerData; unlike other modules, loading it runs it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { parsedBatches, type ParseJob } from './_parse.js';

/** Batches posted before the importing thread has taken one. */
const AHEAD = 2;

const port = parentPort;
if (port) {
  let credits = AHEAD;
  let wake: (() => void) | null = null;
  // Each message from the importing thread: it took one batch.
  port.on('message', () => {
    credits++;
    wake?.();
    wake = null;
  });
  void (async () => {
    try {
      for await (const batch of parsedBatches(workerData as ParseJob, (lineNo, message) => port.postMessage({ bad: [lineNo, message] }))) {
        while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
        credits--;
        port.postMessage({ batch });
      }
      port.postMessage({ end: true });
    } catch (err) {
      port.postMessage({ error: { message: (err as Error).message, input: err instanceof InputError, stack: (err as Error).stack } });
    }
  })();
}
