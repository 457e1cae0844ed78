/**
 * The digest: the inbox's top picks with their abstracts and links, as Markdown, HTML or an
 * Atom feed (for newsboat's `exec:` URLs and any feed reader). Remote text is escaped for
 * each format; nothing here writes.
 */
import { paperUrls } from '../model.js';
import type { PaperRow } from '../model.js';

/** A pick of the digest: the paper, its score and why. */
export type DigestPick = PaperRow & { score: number; why: string[] };

/** What a digest says about itself. */
export interface DigestMeta {
  title: string;
  /** When it was made (Atom's `updated`). */
  now: Date;
  /** The window, for the heading: `on 2025-06-09`, `from … to …`. */
  window: string;
}

/** The formats of `papers digest --format`. */
export type DigestFormat = 'md' | 'html' | 'atom';

/** The digest of `picks` in `format`. */
export function digest(picks: DigestPick[], format: DigestFormat, meta: DigestMeta): string {
  switch (format) {
    case 'md':
      return markdown(picks, meta);
    case 'html':
      return html(picks, meta);
    case 'atom':
      return atom(picks, meta);
  }
}

/** A paper's best link: its arXiv page, else its Hugging Face page, else its project page. */
function linkOf(p: PaperRow): string | null {
  const urls = paperUrls(p.id);
  return urls.arxiv ?? urls.hf ?? p.projectPage;
}

/** Whitespace folded to single spaces: remote text has hard line breaks. */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const authorsOf = (p: PaperRow) => (p.authors.length > 8 ? [...p.authors.slice(0, 8), `+${p.authors.length - 8}`] : p.authors).join(', ');

/** Markdown special characters escaped, so a title cannot become a link or a heading. */
const mdText = (s: string) => oneLine(s).replace(/([\\`*_[\]<>#|])/g, '\\$1');

function markdown(picks: DigestPick[], meta: DigestMeta): string {
  const out = [`# ${mdText(meta.title)} · ${meta.window}`, ''];
  picks.forEach((p, i) => {
    const link = linkOf(p);
    out.push(`## ${i + 1}. ${link ? `[${mdText(p.title)}](<${link}>)` : mdText(p.title)}`, '');
    const facts = [authorsOf(p) && mdText(authorsOf(p)), p.upvotes != null ? `▲ ${p.upvotes}` : '', `\`${p.id}\``].filter(Boolean);
    out.push(facts.join(' · '), '');
    if (p.why.length) out.push(`*why: ${mdText(p.why.join(', '))}*`, '');
    if (p.abstract) out.push(mdText(p.abstract), '');
  });
  return out.join('\n');
}

/** Text for HTML and XML: the five markup characters escaped, characters XML forbids removed. */
function xmlText(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** One pick as an HTML fragment (the HTML digest's entries and Atom's content). */
function htmlPick(p: DigestPick): string {
  const facts = [authorsOf(p), p.upvotes != null ? `▲ ${p.upvotes}` : '', p.id].filter(Boolean).map((s) => xmlText(oneLine(s)));
  return [
    `<p class="meta">${facts.join(' · ')}</p>`,
    p.why.length ? `<p class="why"><em>why: ${xmlText(oneLine(p.why.join(', ')))}</em></p>` : '',
    p.abstract ? `<p>${xmlText(oneLine(p.abstract))}</p>` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function html(picks: DigestPick[], meta: DigestMeta): string {
  const heading = `${xmlText(meta.title)} · ${xmlText(meta.window)}`;
  const entries = picks.map((p, i) => {
    const link = linkOf(p);
    const title = xmlText(oneLine(p.title));
    return `<article>\n<h2>${i + 1}. ${link ? `<a href="${xmlText(link)}">${title}</a>` : title}</h2>\n${htmlPick(p)}\n</article>`;
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${heading}</title>
<style>body{max-width:46em;margin:2em auto;font-family:sans-serif;line-height:1.45}.meta,.why{color:#666;font-size:.9em}</style>
</head>
<body>
<h1>${heading}</h1>
${entries.join('\n')}
</body>
</html>
`;
}

function atom(picks: DigestPick[], meta: DigestMeta): string {
  const updated = meta.now.toISOString();
  const entries = picks.map((p) => {
    const link = linkOf(p);
    const when = p.publishedAt && !Number.isNaN(Date.parse(p.publishedAt)) ? new Date(p.publishedAt).toISOString() : updated;
    return `  <entry>
    <title>${xmlText(oneLine(p.title))}</title>
    <id>${xmlText(link ?? `urn:papers:${p.id}`)}</id>
${link ? `    <link rel="alternate" href="${xmlText(link)}"/>\n` : ''}    <updated>${when}</updated>
${p.authors.map((a) => `    <author><name>${xmlText(oneLine(a))}</name></author>`).join('\n') || '    <author><name>unknown</name></author>'}
${p.categories.map((c) => `    <category term="${xmlText(c)}"/>`).join('\n')}
    <summary type="text">${xmlText(oneLine(p.abstract))}</summary>
    <content type="html">${xmlText(htmlPick(p))}</content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${xmlText(`${meta.title} · ${meta.window}`)}</title>
  <id>urn:papers:digest</id>
  <updated>${updated}</updated>
  <author><name>papers</name></author>
  <generator>papers</generator>
${entries.join('\n').replace(/\n\n+/g, '\n')}
</feed>
`;
}
