/**
 * The input formats and their detection. Modules load lazily: cheerio alone costs
 * more to load than a whole JSON import, which the JSON path should never pay.
 */
import { InputError } from '../errors.js';
import type { Source } from './types.js';

/** Format names accepted by `--format`, each with its loader. */
export const FORMATS: Record<string, () => Promise<Source>> = {
  'hf-json': async () => (await import('./hf-json.js')).hfJson,
  'hf-html': async () => (await import('./hf-html.js')).hfHtml,
  'page-text': async () => (await import('./page-text.js')).pageText,
  jsonl: async () => (await import('./jsonl.js')).papersJsonl,
  'arxiv-rss': async () => (await import('./arxiv-rss.js')).arxivRss,
  'arxiv-atom': async () => (await import('./arxiv-atom.js')).arxivAtom,
  'arxiv-metadata': async () => (await import('./arxiv-metadata.js')).arxivMetadata,
};

/** Format names, for help text and errors. */
export const FORMAT_NAMES = Object.keys(FORMATS);

/**
 * Decode input bytes as UTF-8 text. Binary input (NUL bytes, invalid UTF-8) is refused
 * here, once, so no parser has to guess.
 */
export function decodeInput(bytes: Uint8Array, origin: string): string {
  if (bytes.includes(0)) throw new InputError(`${origin}: looks like a binary file, not a listing`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${origin}: not UTF-8 text (a binary file?)`);
  }
  return text.replace(/^\uFEFF/, '');
}

/** Pick the format of `text` from its first non-blank character; `forced` wins when given. */
export async function detectFormat(text: string, origin: string, forced?: string | null): Promise<Source> {
  if (forced) {
    // Own keys only: `--format constructor` must not find Object.prototype's.
    const load = Object.hasOwn(FORMATS, forced) ? FORMATS[forced] : undefined;
    if (!load) throw new InputError(`unknown --format "${forced}": use one of ${FORMAT_NAMES.join(', ')}`);
    return load();
  }
  const head = text.trimStart();
  if (head === '') throw new InputError(`${origin}: empty input`);
  const first = head[0];
  if (first === '[') return FORMATS['hf-json']!();
  if (first === '{') {
    // The arXiv snapshot's records have `submitter` and `versions`; ours have `listedOn`.
    const { sniffMetadata } = await import('./arxiv-metadata.js');
    return sniffMetadata(head) ? FORMATS['arxiv-metadata']!() : FORMATS.jsonl!();
  }
  if (first === '<') {
    // XML feeds from arXiv (RSS announcements, export-API Atom) before an HF page.
    const [{ sniffRss }, { sniffAtom }] = await Promise.all([import('./arxiv-rss.js'), import('./arxiv-atom.js')]);
    if (sniffRss(head)) return FORMATS['arxiv-rss']!();
    if (sniffAtom(head)) return FORMATS['arxiv-atom']!();
    return FORMATS['hf-html']!();
  }
  return FORMATS['page-text']!();
}
