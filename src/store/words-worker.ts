/**
 * Worker thread of a backlog build (fts-backlog.ts `indexChunkBeside`): works out the words of
 * a chunk of papers (fts-words.ts) on its own read-only connection while the importing thread
 * gives the same papers to the search index. Started with { path } as workerData; each message
 * [from, to] is answered with { from, words }: the words of the papers with pk in [from, to).
 * Unlike other modules, loading it runs it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { wordsOfRange } from './fts-words.js';
import { openSqlite } from './sqlite.js';

const port = parentPort;
if (port) {
  const db = openSqlite((workerData as { path: string }).path, { readonly: true, fileMustExist: true });
  port.on('message', (range: [number, number] | null) => {
    if (range === null) {
      db.close();
      port.close();
      return;
    }
    try {
      port.postMessage({ from: range[0], words: wordsOfRange(db, range[0], range[1]) });
    } catch (err) {
      port.postMessage({ from: range[0], error: (err as Error).message });
    }
  });
}
