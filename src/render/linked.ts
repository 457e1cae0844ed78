/** The repositories citing a paper, as `papers show` prints them under the paper. */
import { LINKED_LIMIT, type LinkedKind, type LinkedRepo, type StoredLinked } from '../model.js';
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
export function linkedText(linked: StoredLinked, style: Style, width: number | null, limit = LINKED_LIMIT): string {
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

/** `linked` of `show --json`: every stored repository by kind, most liked first; null when never fetched. */
export function linkedJson(linked: StoredLinked | null): Record<string, unknown> | null {
  if (!linked) return null;
  const { model, dataset, space } = linked.repos;
  return {
    models: model.map((r) => ({ id: r.id, likes: r.likes, downloads: r.downloads })),
    datasets: dataset.map((r) => ({ id: r.id, likes: r.likes, downloads: r.downloads })),
    spaces: space.map((r) => ({ id: r.id, likes: r.likes })),
    fetchedAt: linked.fetchedAt,
  };
}
