/**
 * Named styles for terminal output. With color off every style is the identity,
 * and chalk is never loaded (loading it is a visible part of start-up).
 */
import type { ColorLevel } from '../context.js';

type Paint = (s: string) => string;

/** The styles the renderers use, by meaning rather than by color. */
export interface Style {
  enabled: boolean;
  index: Paint;
  upvotes: Paint;
  id: Paint;
  title: Paint;
  authors: Paint;
  meta: Paint;
  match: Paint;
  heading: Paint;
  link: Paint;
  /** Markdown's *emphasis*. */
  emphasis: Paint;
  /** Markdown's `code` and code blocks. */
  code: Paint;
}

const plain: Paint = (s) => s;

/** Styles with no color. */
export const PLAIN_STYLE: Style = {
  enabled: false,
  index: plain,
  upvotes: plain,
  id: plain,
  title: plain,
  authors: plain,
  meta: plain,
  match: plain,
  heading: plain,
  link: plain,
  emphasis: plain,
  code: plain,
};

/** Styles for a color level; loads chalk only when there is color to paint. */
export async function loadStyle(level: ColorLevel): Promise<Style> {
  if (level === 0) return PLAIN_STYLE;
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level });
  return {
    enabled: true,
    index: c.dim,
    upvotes: c.yellow,
    id: c.cyan,
    title: c.bold,
    authors: c.dim,
    meta: c.dim,
    match: c.bold.red,
    heading: c.bold.underline,
    link: c.blue.underline,
    emphasis: c.italic,
    code: c.green,
  };
}
