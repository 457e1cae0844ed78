/** `papers open ID|N` — open a paper's page in the browser. Only http(s) URLs are ever opened. */
import { spawn } from 'node:child_process';
import type { App } from '../app.js';
import { NoResultsError, PapersError, UsageError } from '../errors.js';
import { isTitleId, paperUrls } from '../model.js';
import { safeUrl } from '../render/text.js';
import { getPaper } from '../store/query.js';
import { diagnostic } from '../render/diagnostic.js';
import { forTerminal } from '../render/sanitize.js';
import { argument, defineCommand, optionTable } from './_command.js';
import { fetchMissing, paperFetchOptions, resolveReference, type PaperFetchFlags } from './_paper.js';
import { netSettings } from '../fetch/settings.js';

/** Options of `papers open`. */
interface OpenOptions extends PaperFetchFlags {
  paper: string;
  pdf?: boolean;
  hf?: boolean;
  github?: boolean;
  print?: boolean;
}

export default defineCommand<OpenOptions>({
  name: 'open',
  summary: "open a paper's page in the browser ($BROWSER, else xdg-open / open / start)",
  args: [argument('<paper>', 'an arXiv id, a number from the last list/search, or a URL')],
  options: [
    ...optionTable`
      --pdf     the arXiv PDF
      --hf      the Hugging Face page (the default when there is one; else the arXiv page)
      --github  the GitHub repository
      --print   print the URL instead of opening it
    `,
    ...paperFetchOptions(),
  ],
  notes: 'A paper not in the database is fetched from Hugging Face and stored (not with --offline, which opens its arXiv or HF page by id).',
  examples: ['papers open 3', 'papers open 2506.05176 --pdf'],
  run: (opts, app) => run(opts.paper, opts, app),
});

/**
 * The command that opens a URL: `$BROWSER` (the first of a colon-separated list; `%s`
 * stands for the URL, else it is appended), else the platform's opener.
 */
export function openerFor(url: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): { cmd: string; args: string[] } {
  const browser = env.BROWSER?.split(':').find((b) => b.trim() !== '');
  if (browser) {
    const words = browser.trim().split(/\s+/);
    const args = words.slice(1);
    const withUrl = args.some((a) => a.includes('%s')) ? args.map((a) => a.replace('%s', url)) : [...args, url];
    return { cmd: words[0]!, args: withUrl };
  }
  if (platform === 'darwin') return { cmd: 'open', args: [url] };
  // `start` is a cmd built-in; the empty "" is the window title it would otherwise take from the URL.
  if (platform === 'win32') return { cmd: 'cmd', args: ['/c', 'start', '""', url.replace(/&/g, '^&')] };
  return { cmd: 'xdg-open', args: [url] };
}

/** Run `papers open`. */
async function run(ref: string, flags: OpenOptions, app: App): Promise<void> {
  const { ctx } = app;
  if ([flags.pdf, flags.hf, flags.github].filter(Boolean).length > 1) throw new UsageError('use only one of --pdf, --hf, --github');
  const db = await app.db();
  const id = resolveReference(db, ref);
  // Offline, an id alone still names its arXiv and HF pages.
  const paper = getPaper(db, id) ?? (isTitleId(id) || netSettings(flags, ctx.env).offline ? null : await fetchMissing(app, id, flags));
  const urls = paperUrls(id);
  if (!paper && !urls.arxiv) throw new NoResultsError(`paper ${id} is not in the database`);
  const wanted = flags.pdf ? urls.pdf : flags.github ? (paper?.githubRepo ?? null) : flags.hf ? urls.hf : (urls.hf ?? urls.arxiv ?? paper?.projectPage ?? null);
  const what = flags.pdf ? 'PDF' : flags.github ? 'GitHub repository' : flags.hf ? 'Hugging Face page' : 'page';
  if (!wanted) throw new NoResultsError(`paper ${id} has no ${what}`);
  // Remote data chose this URL: never hand anything but http(s) to an opener.
  const url = safeUrl(wanted);
  if (!url) throw new UsageError(`refusing to open ${JSON.stringify(wanted)}: not an http(s) URL`);
  if (flags.print) {
    ctx.stdout.write(forTerminal(ctx.stdoutIsTTY, url, 'text') + '\n');
    return;
  }
  await launch(url, ctx.env);
  diagnostic(ctx.stderr, `opened ${url}`);
}

/** Hand an http(s) `url` to the browser, detached; a missing opener is a one-line error. */
export async function launch(url: string, env: NodeJS.ProcessEnv): Promise<void> {
  const { cmd, args } = openerFor(url, env, process.platform);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(new PapersError(`cannot open ${url} with ${cmd}: ${err.code === 'ENOENT' ? 'command not found (set BROWSER)' : err.message}`, 2)),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
