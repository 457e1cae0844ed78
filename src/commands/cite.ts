/** `papers cite ID...` — BibTeX for papers, to stdout or appended to a .bib file. */
import { closeSync, openSync, readSync } from 'node:fs';
import type { App } from '../app.js';
import { InputError, OutputError } from '../errors.js';
import { ioReason } from '../output.js';
import { diagnostic } from '../render/diagnostic.js';
import { forTerminal } from '../render/sanitize.js';
import { argument, defineCommand, optionTable } from './_command.js';
import { paperFetchOptions, papersByReference, type PaperFetchFlags } from './_paper.js';

/** Options of `papers cite`. */
interface CiteOptions extends PaperFetchFlags {
  papers: string[];
  append?: string;
}

/** A .bib file read for --append; a larger one is refused rather than read whole. */
const MAX_BIB_BYTES = 64 * 1024 * 1024;

export default defineCommand<CiteOptions>({
  name: 'cite',
  summary: 'BibTeX for papers (@misc with eprint, arXiv DOI and year from the arXiv id); --append adds the missing ones to a .bib file',
  args: [argument('<papers...>', 'arXiv ids, numbers from the last list/search, or URLs')],
  options: [
    ...optionTable`
      --append <file>  add the entries FILE lacks (by key, DOI or eprint) to FILE, atomically; nothing on stdout
    `,
    ...paperFetchOptions(),
  ],
  notes: 'A paper not in the database is fetched from Hugging Face and stored (not with --offline).',
  examples: ['papers cite 2506.05176', 'papers cite 3 5 --append refs.bib', 'papers list --starred --json=id | jq -r ".[].id" | xargs papers cite'],
  run,
});

/** Run `papers cite`. */
async function run(flags: CiteOptions, app: App): Promise<void> {
  const { ctx } = app;
  const rows = await papersByReference(app, flags.papers, flags);
  const bibtex = await import('../render/bibtex.js');
  if (flags.append === undefined) {
    await ctx.stdout.write(forTerminal(ctx.stdoutIsTTY, bibtex.toBibtex(rows), 'text'));
    return;
  }
  const path = flags.append;
  const existing = await readBib(path);
  const { text, added, skipped } = bibtex.bibtexToAppend(rows, bibtex.heldEntries(existing));
  const already = skipped.length > 0 ? ` (${skipped.length} already there: ${skipped.join(', ')})` : '';
  if (added.length === 0) {
    diagnostic(ctx.stderr, `${path} already cites ${skipped.length === 1 ? 'this paper' : `all ${skipped.length} papers`}; left as it was`);
    return;
  }
  // The old text kept byte for byte, one blank line before the new entries.
  const sep = existing === '' ? '' : existing.endsWith('\n\n') ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
  const { writeFileAtomic, ReadOnlyTargetError } = await import('../atomic.js');
  try {
    await writeFileAtomic(path, existing + sep + text);
  } catch (err) {
    if (err instanceof ReadOnlyTargetError) throw new InputError(`cannot write ${path}: it is read-only, so it was left as it is`);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOSPC' || e.code === 'EFBIG' || e.code === 'EIO' || e.code === 'EDQUOT') {
      throw new OutputError(`cannot write ${path}: ${ioReason(e)}; the file was left as it was`);
    }
    throw new InputError(`cannot write ${path}: ${e.code === 'ENOENT' ? 'no such folder' : e.code === 'EISDIR' ? 'it is a folder' : e.message}`);
  }
  diagnostic(ctx.stderr, `added ${added.length} entr${added.length === 1 ? 'y' : 'ies'} to ${path}${already}`);
}

/** The .bib file's text, '' when it does not exist yet; bounded, UTF-8. */
async function readBib(path: string): Promise<string> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return '';
    throw new InputError(`cannot read ${path}: ${e.code === 'EACCES' ? 'permission denied' : e.message}`);
  }
  try {
    // Read up to the cap and one byte more: what stat says may change while reading.
    const buf = Buffer.alloc(MAX_BIB_BYTES + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    if (n > MAX_BIB_BYTES) throw new InputError(`${path} is larger than ${MAX_BIB_BYTES / 1024 / 1024} MB; not a .bib file to append to`);
    return buf.subarray(0, n).toString('utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new InputError(`cannot read ${path}: ${e.code === 'EISDIR' ? 'it is a folder' : e.message}`);
  } finally {
    closeSync(fd);
  }
}
