/** The common shape of every input format. */
import type { ParsedListing } from '../model.js';

/** Options a parser may need beyond the bytes themselves. */
export interface ParseOptions {
  /** Listing day to use when the input carries none (`--date`, or the file name's date). */
  day: string | null;
  /** Where the input came from, for error messages (`file.json`, `-`, a URL). */
  origin: string;
  /** Current time, to resolve year-less dates such as `Aug 20`. */
  now: Date;
}

/** A parser turns the text of one input into papers plus listing entries. No SQL, no printing. */
export interface Source {
  /** Format name as accepted by `--format`. */
  name: string;
  /** Cheap check on the start of the text: could this be the format? */
  sniff(text: string): boolean;
  /** Parse the whole text; throws InputError / FormatError with a one-line message. */
  parse(text: string, opts: ParseOptions): ParsedListing;
}
