/**
 * Field selection for `--fields` (like `gh --json FIELDS`) and the columns of CSV/TSV.
 * The field list is derived from paperJson itself, so a field added there is selectable
 * here, appears in CSV, and fails the schema test until docs/paper.schema.json has it.
 */
import { UsageError } from '../errors.js';
import { emptyPaper } from '../model.js';
import type { PaperRow } from '../model.js';
import { paperJson } from './json.js';

/** A blank row: only its keys matter, to enumerate what paperJson emits. */
const BLANK: PaperRow = { ...emptyPaper('0000.00000', ''), listedOn: null, source: null, rank: null };
const SAMPLE = paperJson(BLANK);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Top-level fields of the paper object, in paperJson's order (`id`, `title`, …, `urls`). */
export const PAPER_FIELDS: readonly string[] = Object.freeze(Object.keys(SAMPLE));

/**
 * Every selectable field: the top-level ones plus one level of dotted sub-fields of
 * object-valued fields (`urls.hf`, `urls.arxiv`, `urls.pdf`). One level is all the
 * paper object has; deeper paths would be jq's job.
 */
export const FIELD_PATHS: readonly string[] = Object.freeze(
  PAPER_FIELDS.flatMap((f) => {
    const v = SAMPLE[f];
    return isPlainObject(v) ? [f, ...Object.keys(v).map((k) => `${f}.${k}`)] : [f];
  }),
);

/** FIELD_PATHS plus `listings`: for commands that look up each paper's listings (`export`). */
export const FIELD_PATHS_WITH_LISTINGS: readonly string[] = Object.freeze([...FIELD_PATHS, 'listings']);

/**
 * Parse a comma-separated field list (`id,title,urls.pdf`); whitespace around names is
 * ignored and repeats are dropped (first position wins). An unknown name is a usage
 * error listing the valid ones, as `gh --json` does. `valid` lets a command accept
 * extra fields of its own (`export` adds `listings`).
 */
export function parseFieldList(spec: string, valid: readonly string[] = FIELD_PATHS, flag = '--fields'): string[] {
  const names = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError(`${flag} needs a comma-separated list of fields; valid fields: ${valid.join(', ')}`);
  const known = new Set(valid);
  for (const name of names) {
    if (!known.has(name)) throw new UsageError(`unknown field "${name}" in ${flag}; valid fields: ${valid.join(', ')}`);
  }
  return [...new Set(names)];
}

/** The value at a field path (`title`, `urls.pdf`); undefined when absent. */
export function fieldValue(obj: Record<string, unknown>, path: string): unknown {
  const dot = path.indexOf('.');
  if (dot < 0) return obj[path];
  const parent = obj[path.slice(0, dot)];
  return isPlainObject(parent) ? parent[path.slice(dot + 1)] : undefined;
}

/**
 * A copy of `obj` with only the given fields, in the order asked. A dotted path keeps
 * the nesting (`urls.pdf` → `{urls: {pdf}}`), so `jq .urls.pdf` reads a selection the
 * same way as the full object; asking for `urls` too gives the whole `urls`.
 */
export function selectFields(obj: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const whole = new Set(fields.filter((f) => !f.includes('.')));
  for (const f of fields) {
    const dot = f.indexOf('.');
    if (dot < 0) {
      out[f] = obj[f];
      continue;
    }
    const parent = f.slice(0, dot);
    if (whole.has(parent)) continue;
    // Create the partial object lazily and never share it with `obj`.
    if (!isPlainObject(out[parent])) out[parent] = {};
    (out[parent] as Record<string, unknown>)[f.slice(dot + 1)] = fieldValue(obj, f);
  }
  return out;
}

/**
 * Columns for flat formats (CSV, TSV): object fields expand to their sub-fields
 * (`urls` → `urls.hf`, `urls.arxiv`, `urls.pdf`), repeats dropped. Default: all fields.
 */
export function flatColumns(fields: readonly string[] = PAPER_FIELDS): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const v = SAMPLE[f];
    if (isPlainObject(v)) out.push(...Object.keys(v).map((k) => `${f}.${k}`));
    else out.push(f);
  }
  return [...new Set(out)];
}
