/** The repositories citing a paper, as `papers show` prints them under the paper. */
import type { LinkedKind, LinkedRepo, StoredLinked } from '../store/linked.js';
import { sanitizeLine } from './sanitize.js';
import type { Style } from './style.js';
import { wrap } from './width.js';

/** Repositories named per kind; the count says how many there are in all. */
export const LINKED_SHOWN = 3;

const LABELS: Record<LinkedKind, string> = { model: 'Models', dataset: 'Datasets', space: 'Spaces' };

/** `1.2k`, `3.4M`: counts the way the HF pages show them. */
export function shortCount(n: number): string {
  if (n < 1000) return String(n);
  const [v, unit] = n < 1e6 ? [n / 1e3, 'k'] : [n / 1e6, 'M'];
  return `${v < 10 ? Math.floor(v * 10) / 10 : Math.floor(v)}${unit}`;
}

/** `org/name (♥ 345, ↓ 12.3k)`. */
function repoText(r: LinkedRepo): string {
  const facts = [r.likes != null ? `♥ ${shortCount(r.likes)}` : null, r.downloads != null ? `↓ ${shortCount(r.downloads)}` : null].filter(Boolean);
  return sanitizeLine(r.id) + (facts.length ? ` (${facts.join(', ')})` : '');
}

/**
 * The section under a shown paper: one line per kind that has repositories, its count (`100+`
 * when HF's answer was cut at `limit`) and the most liked few; nothing when none cite it.
 */
export function linkedText(linked: StoredLinked, style: Style, width: number | null, limit: number): string {
  const out: string[] = [];
  for (const kind of ['model', 'dataset', 'space'] as const) {
    const repos = linked.repos[kind];
    const count = linked.counts[kind];
    if (count === 0 || repos.length === 0) continue;
    const more = count > LINKED_SHOWN ? ', …' : '';
    const line = `${LABELS[kind]} (${count >= limit ? `${limit}+` : count}): ${repos.slice(0, LINKED_SHOWN).map(repoText).join(', ')}${more}`;
    for (const [i, l] of (width ? wrap(line, Math.max(1, width - 4)) : [line]).entries()) out.push((i === 0 ? '  ' : '    ') + l);
  }
  if (out.length === 0) return '';
  return ['', style.heading('On Hugging Face'), ...out].join('\n') + '\n';
}
