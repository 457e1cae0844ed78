/**
 * Shared helpers of the arXiv XML parsers (RSS and the export API's Atom): loading with
 * a well-formedness check, namespaced child lookup, and feed dates.
 */
// cheerio/slim parses with htmlparser2 only (faster to load than parse5); the registry loads the arXiv
// parsers lazily, so this import costs nothing on other paths.
import { load } from 'cheerio/slim';
import { fromUtc, namesRealDay } from '../dates-day.js';
import { FormatError } from '../errors.js';
import { normalizeLine } from '../model.js';

// An XML start tag with its attributes; `<` cannot occur in an attribute value, which
// keeps the expression from running past the tag.
const START_TAG = /<([A-Za-z_][\w.:-]*)(?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*(\/?)>/y;
const END_TAG = /<\/([A-Za-z_][\w.:-]*)\s*>/y;

// arXiv's feeds nest about 5 elements deep. htmlparser2 keeps its open elements with
// Array#unshift (O(depth) a tag) and textOf recurses per level, so a document nested N
// deep costs O(N²) to load and overflows the stack when read: the depth is bounded first.
export const MAX_XML_DEPTH = 256;

/**
 * Throw FormatError at the first place `text` is not well-formed XML (tag structure only),
 * or nests elements deeper than MAX_XML_DEPTH. Linear in the text.
 * htmlparser2 never fails: it closes whatever is left open, so a download cut short
 * would otherwise parse as a shorter, "valid" feed and silently lose papers.
 */
export function assertWellFormed(text: string, origin: string): void {
  const fail = (at: number, what: string): never => {
    const line = text.slice(0, at).split('\n').length;
    throw new FormatError(`${origin}: not well-formed XML (line ${line}: ${what}); the response may be cut short, fetch it again`);
  };
  const open: string[] = [];
  let rootSeen = false;
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (at < text.length) {
    const lt = text.indexOf('<', at);
    // Outside the root element only white space may stand between markup.
    if (open.length === 0 && /\S/.test(text.slice(at, lt < 0 ? text.length : lt))) {
      fail(at, rootSeen ? 'text after the root element' : 'text before the root element');
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      at = skipTo(text, '-->', lt + 4) ?? fail(lt, 'a comment is never closed');
    } else if (text.startsWith('<![CDATA[', lt)) {
      if (open.length === 0) fail(lt, 'CDATA outside the root element');
      at = skipTo(text, ']]>', lt + 9) ?? fail(lt, 'a CDATA section is never closed');
    } else if (text.startsWith('<?', lt)) {
      at = skipTo(text, '?>', lt + 2) ?? fail(lt, 'a processing instruction is never closed');
    } else if (text.startsWith('<!', lt)) {
      // A DOCTYPE; arXiv sends none, and an internal subset is not supported.
      if (rootSeen) fail(lt, 'a declaration inside the document');
      at = skipTo(text, '>', lt + 2) ?? fail(lt, 'a declaration is never closed');
    } else if (text.startsWith('</', lt)) {
      END_TAG.lastIndex = lt;
      const m = END_TAG.exec(text) ?? fail(lt, 'a malformed end tag');
      const expected = open.pop();
      if (expected !== m[1]) fail(lt, expected ? `</${m[1]}> where </${expected}> was expected` : `a stray </${m[1]}>`);
      at = END_TAG.lastIndex;
    } else {
      START_TAG.lastIndex = lt;
      const m = START_TAG.exec(text) ?? fail(lt, 'a malformed tag or an unescaped "<"');
      if (open.length === 0 && rootSeen) fail(lt, 'a second root element');
      rootSeen = true;
      if (m[2] !== '/' && open.push(m[1]!) > MAX_XML_DEPTH) {
        const line = text.slice(0, lt).split('\n').length;
        throw new FormatError(`${origin}: elements nested more than ${MAX_XML_DEPTH} deep (line ${line}), which no arXiv feed does; this is not a feed papers can read`);
      }
      at = START_TAG.lastIndex;
    }
  }
  if (open.length > 0) fail(text.length, `the document ends inside <${open[open.length - 1]}>`);
  if (!rootSeen) fail(text.length, 'no root element');
}

/** Index just past `end` searched from `from`, or null when it never occurs. */
function skipTo(text: string, end: string, from: number): number | null {
  const i = text.indexOf(end, from);
  return i < 0 ? null : i + end.length;
}

/**
 * The parts of a parsed node the arXiv parsers read: domhandler's shape, declared here
 * so the parsers walk nodes directly. A cheerio selector per field compiles a CSS query
 * each time, ~10x slower on a 1,000-item feed.
 */
export interface XmlNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: XmlNode[];
}

/** Check and parse an XML document; returns its root element, which must be `root`. */
export function loadXml(text: string, origin: string, root: string, what: string): XmlNode {
  assertWellFormed(text, origin);
  const doc = load(text, { xml: true }).root()[0] as unknown as XmlNode;
  const top = doc.children?.find((n) => n.type === 'tag');
  if (top?.name !== root) throw new FormatError(`${origin}: not ${what} (the document is <${top?.name ?? '?'}>, expected <${root}>)`);
  return top;
}

/** Child elements named `name` (a qualified name such as `dc:creator`), in order. */
export function kids(parent: XmlNode | undefined, name: string): XmlNode[] {
  return parent?.children?.filter((n) => n.type === 'tag' && n.name === name) ?? [];
}

/** The first child element named `name`, if any. */
export function kid(parent: XmlNode | undefined, name: string): XmlNode | undefined {
  return parent?.children?.find((n) => n.type === 'tag' && n.name === name);
}

/** All text inside a node (entities decoded, CDATA included, whitespace kept). */
export function textOf(node: XmlNode): string {
  if (node.type === 'text') return node.data ?? '';
  return node.children?.map(textOf).join('') ?? '';
}

/** Whitespace-normalized text of the first child named `name`, or null when absent or empty. */
export function kidText(parent: XmlNode | undefined, name: string): string | null {
  const el = kid(parent, name);
  const s = el ? normalizeLine(textOf(el)) : '';
  return s === '' ? null : s;
}

/** Raw text of the first child named `name`, or null when absent. */
export function kidRawText(parent: XmlNode | undefined, name: string): string | null {
  const el = kid(parent, name);
  return el ? textOf(el) : null;
}

/** A trimmed attribute value, or null when absent or empty. */
export function attr(el: XmlNode | undefined, name: string): string | null {
  const v = el?.attribs?.[name]?.trim();
  return v ? v : null;
}

// RFC 822 as feeds write it: `Tue, 10 Mar 2026 00:00:00 -0400` (weekday optional).
const RFC822 = /^(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|GMT|UT|UTC|Z|[ECMP][SD]T)$/;
// ISO 8601 with a time and a zone, as the Atom API writes it.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** An RFC 822 (RSS) or ISO 8601 (Atom) timestamp, or null when it is neither. */
export function parseFeedDate(text: string | null): Date | null {
  const s = text?.trim() ?? '';
  // Date.parse alone accepts nearly anything ("2026" parses); check the shape first.
  if ((!RFC822.test(s) && !ISO.test(s)) || !namesRealDay(s)) return null;
  const d = new Date(s);
  return fromUtc(d) ? d : null;
}

/** `YYYY-MM-DD` of a time, in UTC. */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
