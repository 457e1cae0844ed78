import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CONFIG_KEYS, configPath, loadConfig, parseDuration, resolveSetting, type ConfigFs } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';

const HOME = '/home/ada';
const FILE = '/home/ada/.config/papers/config.json';
const SHOWN = '~/.config/papers/config.json';
/** A file system holding one file. */
const fsWith = (files: Record<string, string>): ConfigFs => ({
  readFile(path) {
    if (path in files) return files[path]!;
    throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
  },
  exists: (path) => path in files,
});
const load = (text: string) => loadConfig({ HOME }, fsWith({ [FILE]: text }));

describe('configPath', () => {
  // [env, path]
  test.each<[NodeJS.ProcessEnv, string | null]>([
    [{ HOME }, FILE],
    [{ HOME, XDG_CONFIG_HOME: '/xdg' }, '/xdg/papers/config.json'],
    // The XDG spec: a relative path is invalid and ignored.
    [{ HOME, XDG_CONFIG_HOME: 'rel/dir' }, FILE],
    [{ HOME, XDG_CONFIG_HOME: '' }, FILE],
    [{ HOME, XDG_CONFIG_HOME: '/xdg', PAPERS_CONFIG: '/etc/papers.json' }, '/etc/papers.json'],
    // Under test the user's file is never read, unless a test names one.
    [{ HOME, PAPERS_TEST: '1' }, null],
    [{ HOME, PAPERS_TEST: '1', PAPERS_CONFIG: '/tmp/c.json' }, '/tmp/c.json'],
  ])('%j → %s', (env, path) => {
    expect(configPath(env)).toBe(path);
  });
});

describe('loadConfig', () => {
  test('a missing file is an empty config; so is any file under PAPERS_TEST', () => {
    expect(loadConfig({ HOME }, fsWith({}))).toEqual({});
    expect(loadConfig({ HOME, PAPERS_TEST: '1' }, fsWith({ [FILE]: '{"colour": 1}' }))).toEqual({});
  });

  test('every key, valid', () => {
    const text = JSON.stringify({
      $schema: './config.schema.json',
      sources: ['hf', 'arxiv:cs.LG', 'arxiv'],
      categories: ['cs.LG', 'stat.ML', 'hep-th', 'astro-ph.CO'],
      limit: 20,
      color: 'never',
      pager: 'less -FRX',
      maxAge: '1h30m',
      watch: ['diffusion', 'sparse attention'],
    });
    expect(load(text)).toEqual({
      sources: ['hf', 'arxiv:cs.LG', 'arxiv'],
      categories: ['cs.LG', 'stat.ML', 'hep-th', 'astro-ph.CO'],
      limit: 20,
      color: 'never',
      pager: 'less -FRX',
      maxAge: 5400,
      watch: ['diffusion', 'sparse attention'],
    });
    expect(load('\uFEFF{"maxAge": 600, "pager": ""}')).toEqual({ maxAge: 600, pager: '' });
  });

  // [file text, message]
  test.each<[string, string]>([
    ['{"colour": "never"}', `${SHOWN}: unknown key "colour" (valid: ${CONFIG_KEYS.join(', ')})`],
    ['{"__proto__": 1}', `${SHOWN}: unknown key "__proto__" (valid: ${CONFIG_KEYS.join(', ')})`],
    ['{"toString": 1}', `${SHOWN}: unknown key "toString" (valid: ${CONFIG_KEYS.join(', ')})`],
    ['{"limit": 0}', `${SHOWN}: "limit" must be a whole number from 1 to 9007199254740991 (got 0)`],
    ['{"limit": 2.5}', `${SHOWN}: "limit" must be a whole number from 1 to 9007199254740991 (got 2.5)`],
    ['{"limit": "20"}', `${SHOWN}: "limit" must be a whole number from 1 to 9007199254740991 (got "20")`],
    ['{"color": "yes"}', `${SHOWN}: "color" must be "auto", "always" or "never" (got "yes")`],
    ['{"sources": "hf"}', `${SHOWN}: "sources" must be a list of sources such as "hf", "arxiv", "arxiv:cs.LG" (got "hf")`],
    ['{"sources": ["hf", "reddit"]}', `${SHOWN}: "sources" must be a list of sources such as "hf", "arxiv", "arxiv:cs.LG" (got ["hf","reddit"])`],
    ['{"categories": ["cs LG"]}', `${SHOWN}: "categories" must be a list of arXiv categories such as "cs.LG", "stat.ML" (got ["cs LG"])`],
    ['{"pager": false}', `${SHOWN}: "pager" must be a string (a command such as "less -FRX", or "" for none) (got false)`],
    ['{"maxAge": "soon"}', `${SHOWN}: "maxAge" must be a duration such as "30m", "1h", "2d", "1h30m", or a number of seconds, at most 36500d (got "soon")`],
    ['{"maxAge": "90"}', `${SHOWN}: "maxAge" must be a duration such as "30m", "1h", "2d", "1h30m", or a number of seconds, at most 36500d (got "90")`],
    ['{"maxAge": -5}', `${SHOWN}: "maxAge" must be a duration such as "30m", "1h", "2d", "1h30m", or a number of seconds, at most 36500d (got -5)`],
    ['{"watch": ["ok", "  "]}', `${SHOWN}: "watch" must be a list of non-empty terms (got ["ok","  "])`],
    ['{"watch": [1, "a very long term that goes on and on and on"]}', `${SHOWN}: "watch" must be a list of non-empty terms (got [1,"a very long term that goes on and o…)`],
    ['[]', `${SHOWN}: must be a JSON object such as {"limit": 20}`],
    ['null', `${SHOWN}: must be a JSON object such as {"limit": 20}`],
  ])('%s', (text, message) => {
    expect(() => load(text)).toThrow(new UsageError(message));
  });

  test('invalid JSON names the file and carries the parser message', () => {
    expect(() => load('{"limit": 20,}')).toThrow(UsageError);
    expect(() => load('{"limit": 20,}')).toThrow(new RegExp(`^${SHOWN.replace(/[.~]/g, '\\$&')}: not valid JSON \\(.+\\)$`));
  });

  test('the real file system: PAPERS_CONFIG, XDG_CONFIG_HOME, an unreadable path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-config-'));
    mkdirSync(join(dir, 'papers'));
    writeFileSync(join(dir, 'papers', 'config.json'), '{"limit": 7}');
    writeFileSync(join(dir, 'other.json'), '{"color": "always"}');
    expect(loadConfig({ HOME, XDG_CONFIG_HOME: dir })).toEqual({ limit: 7 });
    expect(loadConfig({ HOME, XDG_CONFIG_HOME: dir, PAPERS_CONFIG: join(dir, 'other.json') })).toEqual({ color: 'always' });
    // A folder where the file should be: the user's to fix, not silently "no config".
    expect(() => loadConfig({ HOME, PAPERS_CONFIG: dir })).toThrow(new UsageError(`config file ${dir} is a directory, not a file`));
  });
});

describe('parseDuration', () => {
  // [input, seconds]
  test.each<[string | number, number]>([
    [0, 0],
    [90, 90],
    [1.5, 1.5],
    ['0', 0],
    ['45s', 45],
    ['30m', 1800],
    ['1h', 3600],
    ['2d', 172800],
    ['1w', 604800],
    ['1h30m', 5400],
    ['1.5h', 5400],
    [' 2H ', 7200],
    // Everything --max-age accepts (src/fetch/settings.ts), with the same meaning.
    ['30 m', 1800],
    ['0.5h', 1800],
    ['36500d', 36500 * 86400],
  ])('%j → %d s', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });

  test.each<string | number>(['', 'h', '90', '1y', '-1h', '1h-30m', 'soon', -1, Number.NaN, Number.POSITIVE_INFINITY, '36501d', 1e20, '9'.repeat(400) + 's'])('%j is an error', (input) => {
    expect(() => parseDuration(input, '--max-age')).toThrow(
      new UsageError(`invalid --max-age ${JSON.stringify(input)}: use e.g. 30m, 1h, 2d, 1h30m (or, in the config file, a number of seconds), at most 36500d`),
    );
  });
});

describe('resolveSetting: flag > env > config > default', () => {
  // [flag, env, config, default, result]
  test.each<[number | undefined, number | undefined, number | undefined, number, number]>([
    [1, 2, 3, 4, 1],
    [undefined, 2, 3, 4, 2],
    [undefined, undefined, 3, 4, 3],
    [undefined, undefined, undefined, 4, 4],
    [1, undefined, undefined, 4, 1],
    [undefined, 2, undefined, 4, 2],
    // 0 is a value, not "unset".
    [0, 2, 3, 4, 0],
    [undefined, undefined, 0, 4, 0],
  ])('flag %s, env %s, config %s, default %s → %s', (flag, env, config, fallback, result) => {
    expect(resolveSetting(flag, env, config, fallback)).toBe(result);
  });

  test('null counts as not given; strings work the same', () => {
    expect(resolveSetting<string>(null, null, 'never', 'auto')).toBe('never');
    expect(resolveSetting<string>('always', 'never', null, 'auto')).toBe('always');
  });
});
