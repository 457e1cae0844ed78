/**
 * Shared machinery of the property-based ("fuzz") tests (bad input, fuzzed):
 * run count and seed, the real fixtures, mutation operators, and the well-formedness
 * check every parser result must pass.
 *
 * FUZZ_RUNS  cases per property (default 200, so `npm test` stays fast; `npm run test:fuzz` uses 10,000).
 * FUZZ_SEED  seed for every property; `random` for a fresh one. Default: a fixed seed in the
 *            default run (reproducible, never flaky), a fresh one when FUZZ_RUNS is set.
 * A failure names the seed and the counterexample path: rerun with FUZZ_SEED=<seed>.
 */
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { vi } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PapersError } from '../../src/errors.js';
import { normalizeLine, normalizeParagraphs, parseArxivId, type ParsedListing } from '../../src/model.js';
import { paperJson } from '../../src/render/json.js';
import { hfJson } from '../../src/sources/hf-json.js';
import type { ParseOptions } from '../../src/sources/types.js';
import { dayFromFileName } from '../../src/dates.js';

// ---------------------------------------------------------------------------
// Runs and seed

export const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 200);

function chooseSeed(): number {
  const env = process.env.FUZZ_SEED;
  if (env && env !== 'random' && Number.isFinite(Number(env))) return Number(env) | 0;
  if (env === 'random' || process.env.FUZZ_RUNS) return (Math.random() * 0x7fffffff) | 0;
  return 20250609;
}
export const SEED = chooseSeed();
/**
 * Runs of the properties that parse a whole HTML page or write to SQLite per case (~10 ms
 * each): a quarter in the default run, so `npm test` stays quick; all of FUZZ_RUNS when set.
 */
export const HEAVY_RUNS = process.env.FUZZ_RUNS ? RUNS : Math.max(1, Math.ceil(RUNS / 4));

fc.configureGlobal({ numRuns: RUNS, seed: SEED });

// A generated pattern with nested quantifiers, such as (?:(?:.{0,2}|a)*a|a)…, can backtrack
// for minutes on 40 characters. Past V8's backtrack limit a regex now runs on its linear-time
// engine (the same matches; one with lookaround or a backreference, which that engine lacks,
// still backtracks): the properties test papers' logic, not how long V8 takes.
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** Test timeout for a property: generous, scaled with the run count; the default for every test of a fuzz file. */
export const TIMEOUT = 60_000 + RUNS * 100;
vi.setConfig({ testTimeout: TIMEOUT });

/** fc.assert with the seed named in the failure, so it can be replayed. */
export function check<Ts extends [unknown, ...unknown[]]>(prop: fc.IProperty<Ts>, params: fc.Parameters<Ts> = {}): void {
  try {
    fc.assert(prop, params);
  } catch (err) {
    throw withSeed(err);
  }
}

/** fc.assert of an async property, with the seed named in the failure. */
export async function checkAsync<Ts extends [unknown, ...unknown[]]>(
  prop: fc.IAsyncProperty<Ts>,
  params: fc.Parameters<Ts> = {},
): Promise<void> {
  try {
    await fc.assert(prop, params);
  } catch (err) {
    throw withSeed(err);
  }
}

function withSeed(err: unknown): unknown {
  if (err instanceof Error) {
    // Counterexamples may hold megabytes (huge strings, deep nesting): keep the report readable.
    const msg = err.message.length > 8000 ? `${err.message.slice(0, 8000)}… (${err.message.length} characters)` : err.message;
    const cause = err.cause instanceof Error ? `${err.cause.message}\n` : '';
    err.message = `${cause}[reproduce with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}] ${msg}`;
  }
  return err;
}

// ---------------------------------------------------------------------------
// Fixtures

const FIXTURES = join(import.meta.dirname, '../../fixtures');

export interface Fixture {
  name: string;
  text: string;
}

function readDir(dir: string, ext: string): Fixture[] {
  return readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((name) => fixture(name, readFileSync(join(FIXTURES, dir, name), 'utf8')));
}

/** A fixture that fast-check prints by name, not by its whole text. */
export function fixture(name: string, text: string): Fixture {
  return { name, text, [fc.toStringMethod]: () => `fixture(${name})` } as Fixture;
}

export const HF_API = readDir('hf-api', '.json');
export const HF_HTML = readDir('hf-html', '.html');
export const PAGE_TEXT = readDir('page-text', '.txt');
/** arXiv RSS, Atom and metadata JSONL samples: fed to whatever parsers the registry has. */
export const ARXIV = [...readDir('arxiv', '.xml'), ...readDir('arxiv', '.jsonl')];

export const NOW = new Date('2025-06-10T08:00:00Z');
export const opts = (day: string | null = null, origin = 'fuzz-input'): ParseOptions => ({ day, origin, now: NOW });

/** Our own JSONL export of every HF API fixture, as `papers export` writes it (every other one without `listings`, as `list --jsonl` does). */
export const JSONL: Fixture[] = HF_API.map(({ name, text }, n) => {
  const parsed = hfJson.parse(text, opts(dayFromFileName(name), name));
  const lines = parsed.items.map(({ paper, listing }) =>
    JSON.stringify(
      paperJson({
        ...paper,
        listedOn: listing?.day ?? null,
        source: listing?.source ?? null,
        rank: listing?.rank ?? null,
        ...(n % 2 === 0 ? { listings: listing ? [listing] : [] } : {}),
      }),
    ),
  );
  return fixture(name.replace(/\.json$/, '.jsonl'), lines.join('\n') + '\n');
});

/** The DailyPapers props of the HTML fixture, decoded, and how to put a changed copy back. */
export const HTML_PROPS = (() => {
  const page = HF_HTML.find((f) => f.name === '2025-06-09.html')!;
  const m = /(data-target="DailyPapers" data-props=")([^"]*)(")/.exec(page.text)!;
  const decoded = m[2]!
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  const before = page.text.slice(0, m.index + m[1]!.length);
  const after = page.text.slice(m.index + m[1]!.length + m[2]!.length);
  return {
    json: decoded,
    /** The page with `propsJson` (raw JSON text) in place of the real props, escaped as Svelte does. */
    page: (propsJson: string) =>
      before +
      propsJson.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;') +
      after,
  };
})();

// ---------------------------------------------------------------------------
// Hostile values

/** 1 MB of text (words, so normalization has work to do). */
export const HUGE = 'lorem ipsum '.repeat(1 << 17).slice(0, 1 << 20);
/** 10,000 levels of nesting, as raw JSON / HTML text. */
export const DEEP_ARRAY = '['.repeat(10_000) + ']'.repeat(10_000);
export const DEEP_OBJECT = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
export const DEEP_PAPER_OBJECT = '{"paper":'.repeat(10_000) + '{"id":"2501.00001","title":"x"}' + '}'.repeat(10_000);
export const DEEP_HTML = '<b>'.repeat(10_000) + 'deep' + '</b>'.repeat(10_000);

/** Escape sequences and invisible characters a hostile title may carry. */
export const ESCAPES = [
  '\x1b[31m', '\x1b[0m', '\x1b[2J', '\x1b[H', '\x1b[1A\x1b[2K', '\x1b[?25l', '\x1b]0;pwned\x07', '\x1b]2;title\x1b\\',
  '\x1b]8;;https://evil.example/\x07link\x1b]8;;\x07', '\x1bP+q544e\x1b\\', '\x1b_apc\x1b\\', '\x1b^pm\x1b\\', '\x1bX sos \x1b\\',
  '\x1bc', '\x1b(0', '\x1b7', '\x1b', '\x9b31m', '\x9d0;x\x9c', '\x90dcs\x9c', '\x85', '\x07', '\x08', '\r', '\x0b', '\x0c',
  '\x7f', '\u202e', '\u202a', '\u2066', '\u2067', '\u2068', '\u2069', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff',
  '\u061c', '\u200e', '\u200f', '\u{e0041}', '\ud800', '\udc00', '\u0001', '\u0002', '\x00', '\t', '\n', '\n\n',
];

/** Snippets worth inserting anywhere: structure of every format, escapes, encodings. */
const SNIPPETS = [
  ...ESCAPES,
  '\uFEFF', '\r\n', '"', '\\', '\\u0000', '\\ud800', '\\"', '{', '}', '[', ']', ',', ':', 'null', '{"paper":{}}', '\n{}\n',
  '<', '>', '</div>', '</article>', '<article>', '<h3><a href="/papers/2501.00001">X</a></h3>', '<!--', '-->', '<script>',
  '<![CDATA[', '&quot;', '&amp;', '&#0;', '&#x1b;', '&#xD800;', 'data-target="DailyPapers"', ' data-props="{}"',
  'Aug 20', 'Feb 30', 'Daily Papers', '41', 'Submitted by x', '2025-06-09', 'title-', 'NaN', '1e999', '-0',
];

export const snippet: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...SNIPPETS) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom(HUGE, DEEP_ARRAY, DEEP_OBJECT, DEEP_HTML, '\n'.repeat(100_000), 'x'.repeat(400)) },
);

/** A hostile string: text mixed with escape-sequence fragments and invisible characters. */
export const hostileString = (maxParts = 12): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...ESCAPES) },
        { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
        { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
        { weight: 1, arbitrary: fc.constantFrom('\x1b[', '\x1b]', '\x1bP', '\x9b', '\x9d', ';', '8;;', '\x07', '\x9c', '\x1b\\', '38;5;', 'm') },
        { weight: 1, arbitrary: fc.constantFrom('a'.repeat(300), '深度学习的注意力机制'.repeat(20), 'e\u0301'.repeat(50), '👍🏽🇯🇵'.repeat(20)) },
      ),
      { maxLength: maxParts },
    )
    .map((parts) => parts.join(''));

// ---------------------------------------------------------------------------
// Text mutations

export type TextOp =
  | { k: 'truncate'; at: number }
  | { k: 'flip'; at: number; ch: string }
  | { k: 'delete'; at: number; len: number }
  | { k: 'dup'; at: number; len: number; to: number }
  | { k: 'insert'; at: number; s: string }
  | { k: 'crlf' }
  | { k: 'cr' }
  | { k: 'bom' };

const pos = fc.nat();

export const textOp: fc.Arbitrary<TextOp> = fc.oneof(
  fc.record({ k: fc.constant('truncate' as const), at: pos }),
  fc.record({ k: fc.constant('flip' as const), at: pos, ch: fc.oneof(fc.constantFrom(...SNIPPETS.filter((s) => s.length <= 2)), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }),
  fc.record({ k: fc.constant('delete' as const), at: pos, len: pos }),
  fc.record({ k: fc.constant('dup' as const), at: pos, len: pos, to: pos }),
  fc.record({ k: fc.constant('insert' as const), at: pos, s: snippet }),
  fc.constant({ k: 'crlf' as const }),
  fc.constant({ k: 'cr' as const }),
  fc.constant({ k: 'bom' as const }),
);

export const textOps = fc.array(textOp, { minLength: 1, maxLength: 4 });

export function applyTextOp(text: string, op: TextOp): string {
  const n = text.length;
  switch (op.k) {
    case 'truncate':
      return text.slice(0, op.at % (n + 1));
    case 'flip': {
      const at = op.at % (n + 1);
      return text.slice(0, at) + op.ch + text.slice(at + 1);
    }
    case 'delete': {
      const at = op.at % (n + 1);
      return text.slice(0, at) + text.slice(at + 1 + (op.len % (n - at + 1)));
    }
    case 'dup': {
      const at = op.at % (n + 1);
      const piece = text.slice(at, at + (op.len % Math.min(n - at + 1, 20_000)));
      const to = op.to % (n + 1);
      return text.slice(0, to) + piece + text.slice(to);
    }
    case 'insert': {
      const at = op.at % (n + 1);
      return text.slice(0, at) + op.s + text.slice(at);
    }
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'cr':
      return text.replace(/\r?\n/g, '\r');
    case 'bom':
      return '\uFEFF' + text;
  }
}

export const applyTextOps = (text: string, ops: TextOp[]) => ops.reduce(applyTextOp, text);

// ---------------------------------------------------------------------------
// Byte mutations (for decodeInput)

export type ByteOp = { k: 'set'; at: number; b: number } | { k: 'insert'; at: number; bytes: number[] } | { k: 'truncate'; at: number };

/** Byte sequences that are not valid UTF-8, a NUL, a BOM, CRLF. */
const BAD_BYTES = [[0x00], [0xef, 0xbb, 0xbf], [0xc0, 0x80], [0xff], [0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x0d, 0x0a], [0xc3], [0xfe, 0xff]];

export const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  fc.record({ k: fc.constant('set' as const), at: pos, b: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ k: fc.constant('insert' as const), at: pos, bytes: fc.oneof(fc.constantFrom(...BAD_BYTES), fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 4 })) }),
  fc.record({ k: fc.constant('truncate' as const), at: pos }),
);

export function applyByteOp(bytes: Uint8Array, op: ByteOp): Uint8Array {
  const n = bytes.length;
  switch (op.k) {
    case 'set': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      out[op.at % n] = op.b;
      return out;
    }
    case 'insert': {
      const at = op.at % (n + 1);
      return Uint8Array.from([...bytes.subarray(0, at), ...op.bytes, ...bytes.subarray(at)]);
    }
    case 'truncate':
      return bytes.slice(0, op.at % (n + 1));
  }
}

// ---------------------------------------------------------------------------
// JSON structure mutations: replace a value somewhere with a wrong type, null, a huge
// string, deep nesting; delete a key; duplicate an array element.

/** Raw JSON texts to put in place of a value. */
export const nastyJson: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.constantFrom(
      'null', 'true', 'false', '0', '-1', '1e308', '-1e308', '1.5', '-0', '""', '" "', '"\\u0000"', '"\\ud800"', '"\\udc00x"',
      '"\\u001b[31mred\\u001b[0m"', '"\\u001b]0;pwned\\u0007"', '"\\u202eevil"', '"\\u200b"', '"\\u0085"', '"\\u009b2J"', '"a\\nb\\r\\nc"',
      '[]', '{}', '[null]', '[1,2,3]', '{"name":null}', '{"name":{"name":"x"}}', '[{"name":"\\u001b[2J"}]', '"2025-13-45"',
      '"2025-06-09T25:61:00Z"', '"9999-12-31T23:59:59-14:00"', '"0000-01-01T00:00:00+14:00"', '"2025-02-30T00:00:00Z"', '"not a date"', '"2025-06-09"', '"2025-06-09T00:00:00.000Z"', '"2025-06-09\\u001b[2J"',
      '"2501.00001"', '"2501.00001v3"', '"hep-th/9901001"', '"title-abc"', '"title-\\u001b]0;x\\u0007"', '"__proto__"',
      '{"__proto__":{"id":"2501.00001"}}', '"constructor"', '"0"', '"1e400"', '9007199254740993', '123456789012345678901234567890',
      '"       "', '"\\t\\n"', '{"paper":null}', '{"paper":[]}', '{"paper":{"id":5}}',
    ),
  },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map((s) => JSON.stringify(s)) },
  { weight: 2, arbitrary: hostileString(6).map((s) => JSON.stringify(s)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      JSON.stringify(HUGE),
      JSON.stringify('x'.repeat(1 << 20)),
      `[${JSON.stringify(HUGE)}]`,
      DEEP_ARRAY,
      DEEP_OBJECT,
      DEEP_PAPER_OBJECT,
    ),
  },
);

/** Raw JSON text standing for a value, spliced in as is by `toJsonText`. */
export class RawJson {
  constructor(readonly raw: string) {}
  toString(): string {
    return this.raw.length > 200 ? `RawJson(${this.raw.slice(0, 60)}… ${this.raw.length} chars)` : `RawJson(${this.raw})`;
  }
}

/** JSON text of a value that may hold RawJson parts (deep nesting never goes through JSON.stringify). */
export function toJsonText(v: unknown): string {
  if (v instanceof RawJson) return v.raw;
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${toJsonText(x)}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** Any JSON value, or one of the hostile raw JSON texts. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 3 }), nastyJson.map((raw) => new RawJson(raw)));

export type JsonOp =
  | { k: 'replace'; path: number[]; value: string }
  | { k: 'delete'; path: number[] }
  | { k: 'dup'; path: number[] }
  | { k: 'field'; item: number; field: string; value: string };

/** Fields of a daily-papers item worth hitting on purpose (a random walk rarely reaches them all). */
export const HF_FIELDS = [
  '', 'paper', 'paper.id', 'paper.title', 'paper.summary', 'paper.authors', 'paper.authors.0', 'paper.authors.0.name',
  'paper.publishedAt', 'paper.submittedOnDailyAt', 'paper.upvotes', 'paper.ai_summary', 'paper.ai_keywords',
  'paper.ai_keywords.0', 'paper.githubRepo', 'paper.githubStars', 'paper.projectPage', 'paper.organization',
  'paper.organization.fullname', 'organization', 'numComments', 'title', 'summary', 'publishedAt',
];

export const jsonOp = (fields: string[]): fc.Arbitrary<JsonOp> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ k: fc.constant('replace' as const), path: fc.array(fc.nat(), { maxLength: 6 }), value: nastyJson }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('delete' as const), path: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('dup' as const), path: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }) },
    { weight: 4, arbitrary: fc.record({ k: fc.constant('field' as const), item: fc.nat(), field: fc.constantFrom(...fields), value: nastyJson }) },
  );

type JsonNode = unknown;
const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] => typeof v === 'object' && v !== null;

/** Walk `path` (each step picks a child modulo the child count); returns the parent and key of the last step. */
function walk(root: JsonNode, path: number[]): { parent: Record<string, unknown> | unknown[]; key: string | number } | null {
  let parent: Record<string, unknown> | unknown[] | null = null;
  let key: string | number = 0;
  let node = root;
  for (const step of path) {
    if (!isContainer(node)) break;
    const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    parent = node;
    key = keys[step % keys.length]!;
    node = (node as Record<string | number, unknown>)[key];
  }
  return parent ? { parent, key } : null;
}

/**
 * Apply JSON ops to the parsed `root` (an array of items, or one object); returns the raw JSON
 * text. Replacement values are spliced in as raw text, so deep nesting never goes through
 * JSON.stringify (which itself overflows the stack).
 */
export function applyJsonOps(rootJson: string, ops: JsonOp[], itemsKey?: string, top: Record<string, unknown> = {}): string {
  try {
    return jsonOpsOn(rootJson, ops, itemsKey, top);
  } catch (err) {
    // The input already holds deep nesting spliced in by an earlier mutation, and
    // JSON.stringify / structuredClone overflow on it: leave it as it is.
    if (err instanceof RangeError) return rootJson;
    throw err;
  }
}

function jsonOpsOn(rootJson: string, ops: JsonOp[], itemsKey: string | undefined, top: Record<string, unknown>): string {
  const root: JsonNode = JSON.parse(rootJson);
  const slots: string[] = [];
  const slot = (raw: string) => `\u0000FUZZ-SLOT-${slots.push(raw) - 1}\u0000`;
  // Top-level keys set first (`top` values may hold RawJson).
  if (isContainer(root) && !Array.isArray(root)) for (const [k, v] of Object.entries(top)) root[k] = slot(toJsonText(v));
  const items = itemsKey ? (root as Record<string, unknown>)[itemsKey] : root;
  for (const op of ops) {
    if (op.k === 'field') {
      if (!Array.isArray(items) || items.length === 0) continue;
      const i = op.item % items.length;
      if (op.field === '') {
        items[i] = slot(op.value);
        continue;
      }
      const parts = op.field.split('.');
      let node: unknown = items[i];
      for (const p of parts.slice(0, -1)) {
        if (!isContainer(node)) break;
        node = (node as Record<string, unknown>)[p];
      }
      if (isContainer(node)) (node as Record<string, unknown>)[parts.at(-1)!] = slot(op.value);
      continue;
    }
    const at = walk(root, op.path);
    if (!at) continue;
    const { parent, key } = at;
    if (op.k === 'replace') (parent as Record<string | number, unknown>)[key] = slot(op.value);
    else if (op.k === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(parent[key as number]));
  }
  let text = JSON.stringify(root);
  // The slots are JSON strings in the output: put the raw text in their place.
  text = text.replace(/"\\u0000FUZZ-SLOT-(\d+)\\u0000"/g, (_, i: string) => slots[Number(i)]!);
  return text;
}

// ---------------------------------------------------------------------------
// The outcome property

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a `YYYY-MM-DD` that names a real calendar day. */
export function isRealDay(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  const m = ISO_DAY.exec(s);
  if (!m) return false;
  const t = new Date(Date.UTC(2000, 0, 1));
  t.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // The calendar is years 0001–9999 (src/dates-day.ts); year 0000 is not a day papers stores.
  return Number(m[1]) >= 1 && t.getUTCFullYear() === Number(m[1]) && t.getUTCMonth() === Number(m[2]) - 1 && t.getUTCDate() === Number(m[3]);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const TITLE_ID = /^title-[0-9a-f]{12}$/;
/** Listing sources: short printable names (`hf`, `arxiv:cs.LG`, `hf-search`). */
const SOURCE = /^[\x21-\x7e]{1,64}$/;

const LISTED_FORMATS = new Set(['hf-json', 'hf-html', 'page-text']);
const isIntOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isInteger(v));
const isStrOrNull = (v: unknown) => v === null || typeof v === 'string';
const isStrings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string' && s !== '');

/** Problems with a parse result, or [] when it is well-formed. */
export function listingProblems(r: ParsedListing): string[] {
  const bad: string[] = [];
  if (!r || typeof r !== 'object') return ['result is not an object'];
  if (typeof r.format !== 'string' || r.format === '') bad.push('format');
  if (!Array.isArray(r.warnings) || !r.warnings.every((w) => typeof w === 'string')) bad.push('warnings');
  if (!Array.isArray(r.items)) return [...bad, 'items is not an array'];
  r.items.forEach(({ paper: p, listing: l }, i) => {
    const at = (what: string) => bad.push(`item ${i + 1}: ${what}`);
    if (!p || typeof p !== 'object') return at('no paper');
    if (typeof p.id !== 'string' || !(parseArxivId(p.id)?.id === p.id || TITLE_ID.test(p.id))) at(`bad id ${JSON.stringify(p.id)?.slice(0, 80)}`);
    if (typeof p.title !== 'string' || p.title === '' || normalizeLine(p.title) !== p.title) at(`bad title ${JSON.stringify(p.title)?.slice(0, 80)}`);
    if (typeof p.abstract !== 'string' || normalizeParagraphs(p.abstract) !== p.abstract) at('abstract not a normalized string');
    if (!isStrings(p.authors)) at('authors not an array of non-empty strings');
    if (!isStrings(p.keywords)) at('keywords not an array of non-empty strings');
    if (!isStrings(p.categories)) at('categories not an array of non-empty strings');
    for (const k of ['upvotes', 'comments', 'githubStars', 'version'] as const) if (!isIntOrNull(p[k])) at(`${k} not an integer or null`);
    for (const k of ['githubRepo', 'projectPage', 'aiSummary', 'organization', 'primaryCategory', 'doi', 'journalRef', 'arxivComments'] as const) {
      if (!isStrOrNull(p[k])) at(`${k} not a string or null`);
    }
    // Printed as is by `papers show` (publishedAt.slice(0, 10)): must be a timestamp, not text.
    for (const k of ['publishedAt', 'updatedAt'] as const) {
      const v = p[k];
      if (!(v === null || (typeof v === 'string' && ISO_TIME.test(v) && !Number.isNaN(Date.parse(v))))) at(`${k} ${JSON.stringify(v)?.slice(0, 80)} is not an ISO timestamp`);
    }
    if (l === null) {
      // The HF formats always know the day (or refuse); JSONL and arXiv metadata may carry none.
      if (LISTED_FORMATS.has(r.format)) at('no listing');
      return;
    }
    if (!l || typeof l !== 'object') return at('listing not an object');
    if (typeof l.source !== 'string' || !SOURCE.test(l.source)) at(`bad listing source ${JSON.stringify(l.source)?.slice(0, 80)}`);
    if (!isRealDay(l.day)) at(`listing day ${JSON.stringify(l.day)?.slice(0, 80)} is not a real YYYY-MM-DD`);
    if (!Number.isSafeInteger(l.rank) || l.rank < 1) at(`rank ${l.rank} is not an integer ≥ 1`);
    if (!isIntOrNull(l.upvotes)) at('listing upvotes not an integer or null');
  });
  return bad;
}

/**
 * Run `parse`: it must return a well-formed listing or throw a PapersError. Anything else
 * (TypeError, RangeError, a malformed listing) fails the property. Returns what happened.
 */
export function outcome(parse: () => ParsedListing): ParsedListing | PapersError {
  let result: ParsedListing;
  try {
    result = parse();
  } catch (err) {
    if (err instanceof PapersError) {
      if (typeof err.message !== 'string' || err.message === '') throw new Error('PapersError without a message');
      return err;
    }
    throw new Error(`parser threw ${(err as Error)?.constructor?.name}: ${String((err as Error)?.message).slice(0, 300)}`, { cause: err });
  }
  const problems = listingProblems(result);
  if (problems.length > 0) throw new Error(`malformed listing (${result.format}): ${problems.slice(0, 5).join('; ')}`);
  return result;
}

/** Async version of `outcome`, for parsers reached through the registry. */
export async function outcomeAsync(parse: () => Promise<ParsedListing>): Promise<ParsedListing | PapersError> {
  let result: ParsedListing;
  try {
    result = await parse();
  } catch (err) {
    if (err instanceof PapersError) return err;
    throw new Error(`threw ${(err as Error)?.constructor?.name}: ${String((err as Error)?.message).slice(0, 300)}`, { cause: err });
  }
  return outcome(() => result);
}

/** The `day` option a caller may pass (`--date`, or the file name's date). */
export const dayOption = fc.constantFrom<string | null>(null, '2025-06-09', '2024-02-29');
