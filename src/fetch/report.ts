/**
 * What a fetch tells its caller: how each day went (the report), and how it is going while
 * it runs (progress, which the command draws). Types and one message helper only, so any
 * module may import it without loading the network code.
 */
import type { PapersError } from '../errors.js';
import type { WriteStats } from '../store/write.js';

/** How one day went. */
export type DayResult =
  /** `via`: `api` or `page` (HF); `rss`, `api` or `none` (arXiv; `none`: a weekend, nothing asked). */
  | { day: string; ok: true; stats: WriteStats; via: 'api' | 'page' | 'rss' | 'none' }
  /** `host`: the host that failed, when it is not the report's. */
  | { day: string; ok: false; error: PapersError; host?: string };

/** How a fetch of several days went. */
export interface FetchReport {
  /** The host asked (HF_ENDPOINT's, or the arXiv API's), for messages. */
  host: string;
  /** The source named before the days in messages (`arxiv:cs.LG`); none for HF. */
  label?: string;
  /** One result per day tried, in day order. */
  results: DayResult[];
  /** Days not tried because too many others failed. */
  notTried: string[];
}

/** A request being waited for. */
export interface Wait {
  host: string;
  /** The try under way (or, with `retrying`, the one about to start), from 1. */
  attempt: number;
  tries: number;
  /** Epoch ms: when this try gives up, or (with `retrying`) when the next try starts. */
  until: number;
  /** Why the last try failed, while sleeping before the next one. */
  retrying?: string;
}

/** What a fetch reports to while it runs (the command wires it to a progress bar). */
export interface Progress {
  /** One unit done; `label` (e.g. the day) is shown after the count. */
  advance(label?: string): void;
  /** Print a full line (a note or warning) without breaking the bar. */
  note(line: string): void;
  /** What the request `key` (e.g. its URL) waits for now; null when it has ended. */
  wait(key: string, wait: Wait | null): void;
  /** Erase the bar. */
  done(): void;
}

/** A failure's message without the `GET <url>: ` or `<url>: ` it starts with (the host is named separately). */
export function reasonOf(err: Error): string {
  return err.message.replace(/^(?:GET )?https?:\/\/\S+: /, '');
}
