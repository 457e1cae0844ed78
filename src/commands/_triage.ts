/**
 * The inbox's triage at the keyboard: raw mode, one screen redrawn per key. Every `s`, `d`
 * and `r` is saved at once (one small transaction), so Ctrl-C or a kill loses nothing done;
 * `u` undoes the last one; the rest of the list is ranked again as feedback arrives.
 */
import type { App } from '../app.js';
import { paperUrls } from '../model.js';
import { rankByFit } from '../rank/fit.js';
import type { Style } from '../render/style.js';
import { sanitizeLine } from '../render/sanitize.js';
import { truncate } from '../render/width.js';
import type { Db } from '../store/db.js';
import { dismiss, undismiss } from '../store/feedback.js';
import { markRead, markUnread, star, unstar } from '../store/state.js';
import type { PaperRow } from '../model.js';

/** A paper of the inbox (inbox.ts's InboxPick): the row plus its score and why. */
type InboxPick = PaperRow & { score: number; why: string[] };

/** A terminal's standard input, as Node gives it. */
interface TtyInput extends AsyncIterable<Buffer> {
  isTTY?: boolean;
  setRawMode?(on: boolean): unknown;
}

/** True when the keyboard can drive the inbox: standard input is a terminal that takes raw mode. */
export function canTriage(stdin: AsyncIterable<Buffer>): boolean {
  const input = stdin as TtyInput;
  return input.isTTY === true && typeof input.setRawMode === 'function';
}

type Action = 'star' | 'dismiss' | 'read';
const DONE: Record<Action, string> = { star: 'starred', dismiss: 'dismissed', read: 'marked read' };
const HELP = 'j/k move · Enter abstract · s star · d dismiss · r read · o open · u undo · q quit';

/** Run the triage over `picks` until `q` or Ctrl-C. */
export async function triage(app: App, db: Db, initial: InboxPick[], style: Style): Promise<void> {
  const { ctx } = app;
  const input = ctx.stdin as TtyInput;
  let picks = initial;
  let at = 0;
  let open = false;
  let status = '';
  const done: Array<{ action: Action; pick: InboxPick }> = [];
  const apply = (action: Action, ids: string[], undo: boolean) => {
    if (action === 'star') return undo ? unstar(db, ids) : star(db, ids, ctx.now);
    if (action === 'dismiss') return undo ? undismiss(db, ids) : dismiss(db, ids, ctx.now);
    return undo ? markUnread(db, ids) : markRead(db, ids, 'marked', ctx.now);
  };
  // The rest ranked again with what was just learned; the cursor stays on the same line.
  const rerank = (rows: InboxPick[]) => (picks = rows.length ? rankByFit(db, rows, ctx.now).rows : []);
  const draw = () => {
    const width = Math.max(20, ctx.width);
    const lines: string[] = [style.heading(truncate(`Inbox · ${picks.length} paper${picks.length === 1 ? '' : 's'}`, width)), ''];
    const room = Math.max(3, ctx.height - 4);
    const first = Math.max(0, Math.min(at - Math.floor(room / 4), picks.length - Math.floor(room / 2)));
    // One column for the upvotes, as wide as the widest count, so the titles line up.
    const votes = Math.max(0, ...picks.map((p) => (p.upvotes != null ? String(p.upvotes).length + 1 : 0)));
    for (let i = first; i < picks.length && lines.length < room; i++) {
      const p = picks[i]!;
      const mark = i === at ? '›' : ' ';
      const head = `${mark} ${String(i + 1).padStart(2)} ${(p.upvotes != null ? `▲${p.upvotes}` : '').padStart(votes)} `;
      lines.push((i === at ? style.match(head) : style.index(head)) + style.title(truncate(sanitizeLine(p.title), Math.max(1, width - head.length))));
      if (p.why.length) lines.push(' '.repeat(head.length) + style.meta(truncate(sanitizeLine(p.why.join('  ')), Math.max(1, width - head.length))));
      if (i === at && open) for (const l of wrap(sanitizeLine(p.abstract), width - head.length)) lines.push(' '.repeat(head.length) + l);
    }
    if (picks.length === 0) lines.push('Nothing left: the inbox is empty.');
    lines.push('', style.meta(truncate(status || HELP, width)));
    // Home, each line cleared to its end, the rest of the screen cleared.
    void ctx.stdout.write('\x1b[H' + lines.map((l) => l + '\x1b[K').join('\r\n') + '\x1b[J');
  };
  input.setRawMode!(true);
  await ctx.stdout.write('\x1b[?1049h\x1b[?25l');
  try {
    draw();
    for await (const chunk of input) {
      const key = chunk.toString('utf8');
      const current = picks[at];
      status = '';
      if (key === 'q' || key === '\x03' || key === '\x04') break;
      if (key === 'j' || key === '\x1b[B') at = Math.min(at + 1, Math.max(0, picks.length - 1));
      else if (key === 'k' || key === '\x1b[A') at = Math.max(0, at - 1);
      else if (key === '\r' || key === '\n') open = !open;
      else if ((key === 's' || key === 'd' || key === 'r') && current) {
        const action: Action = key === 's' ? 'star' : key === 'd' ? 'dismiss' : 'read';
        apply(action, [current.id], false);
        done.push({ action, pick: current });
        rerank(picks.filter((p) => p.id !== current.id));
        at = Math.min(at, Math.max(0, picks.length - 1));
        open = false;
        status = `${DONE[action]} ${current.id} (u: undo)`;
      } else if (key === 'u') {
        const last = done.pop();
        if (last) {
          apply(last.action, [last.pick.id], true);
          rerank([...picks, last.pick]);
          at = Math.max(0, picks.findIndex((p) => p.id === last.pick.id));
          status = `undone: ${last.pick.id} is back`;
        } else status = 'nothing to undo';
      } else if (key === 'o' && current) {
        const url = paperUrls(current.id).hf ?? paperUrls(current.id).arxiv;
        if (url) {
          const { launch } = await import('./open.js');
          status = await launch(url, ctx.env).then(
            () => `opened ${url}`,
            (err: Error) => err.message,
          );
        }
      }
      draw();
    }
  } finally {
    input.setRawMode!(false);
    await ctx.stdout.write('\x1b[?25h\x1b[?1049l');
  }
}

/** `text` in lines of at most `width` characters, broken at spaces. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
