/** Hugging Face API JSON: the body of `GET /api/daily_papers?date=YYYY-MM-DD`. */
import { InputError } from '../errors.js';
import type { ParsedListing } from '../model.js';
import { isHfItem, paperFromHfItem } from './hf-item.js';
import type { ParseOptions, Source } from './types.js';

/** Build a listing from an array of API items, all listed on their own day or `opts.day`. */
export function listingFromHfItems(items: unknown[], opts: ParseOptions, format: string): ParsedListing {
  const out: ParsedListing = { format, items: [], warnings: [], complete: true };
  items.forEach((item, i) => {
    const { paper, day, listing } = paperFromHfItem(item, i, opts.day, opts.origin);
    if (!day) {
      throw new InputError(`${opts.origin}: cannot tell the listing day; pass --date YYYY-MM-DD`);
    }
    out.items.push({ paper, listing: { ...listing, day } });
  });
  return out;
}

export const hfJson: Source = {
  name: 'hf-json',
  sniff: (text) => /^\s*\[/.test(text),
  parse(text, opts) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new InputError(`${opts.origin}: not valid JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(data)) throw new InputError(`${opts.origin}: expected a JSON array of daily-papers items`);
    if (data.length > 0 && !isHfItem(data[0])) {
      throw new InputError(`${opts.origin}: JSON array is not a Hugging Face daily-papers listing (items have no "paper" object)`);
    }
    return listingFromHfItems(data, opts, 'hf-json');
  },
};
