/**
 * CJK text is searchable: Chinese and Japanese write no spaces between words, so a word
 * inside a run of Han, kana or Hangul characters is found by search, --watched and grep, and
 * highlighted in the stored text.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stripAnsi } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';

const paper = (id: string, title: string, abstract: string, authors: string[], day: string) =>
  JSON.stringify({ id, title, abstract, authors, listedOn: day, publishedAt: day });

const PAPERS = [
  paper('2501.00001', '基于多模态大模型的视觉问答', '我们提出一种新的多模态大模型，结合视觉 transformer 与语言模型。', ['张伟', '李娜'], '2025-01-02'),
  paper('2501.00002', '大規模言語モデルによるトランスフォーマーの解析', '本研究では、トランスフォーマーを用いた手法を提案する。', ['山田太郎'], '2025-01-03'),
  paper('2501.00003', '멀티모달대규모언어모델 연구', '우리는 새로운 멀티모달 모델을 제안한다.', ['김민수'], '2025-01-04'),
  paper('2501.00004', 'Vision Transformers for Dense Prediction', 'We study vision transformers for dense prediction.', ['Alice Smith'], '2025-01-05'),
];

const ids = (stdout: string) => stdout.trimEnd().split('\n').filter(Boolean).map((l) => l.split('\t')[0]);

describe('CJK search', () => {
  const { run } = withDb();
  const file = join(mkdtempSync(join(tmpdir(), 'papers-cjk-')), 'cjk.jsonl');
  beforeAll(async () => {
    writeFileSync(file, PAPERS.join('\n') + '\n');
    const r = await run(['import', file]);
    expect(r.code, r.stderr).toBe(0);
  });

  it.each([
    ['多模态', '2501.00001'],
    ['模态', '2501.00001'],
    ['视觉问答', '2501.00001'],
    ['视觉 transformer', '2501.00001'],
    ['言語モデル', '2501.00002'],
    ['トランスフォーマー', '2501.00002'],
    ['모델', '2501.00003'],
    ['언어모델', '2501.00003'],
    ['대규모', '2501.00003'],
    ['张伟', '2501.00001'],
  ])('search %s finds the paper with it inside a longer run', async (query, id) => {
    const r = await run(['search', query]);
    expect(r.code, r.stderr).toBe(0);
    expect(ids(r.stdout)).toEqual([id]);
  });

  it('the characters of a query run must be consecutive and in order', async () => {
    const r = await run(['search', '态模多']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
  });

  it('non-CJK search is as before: only the papers with the word', async () => {
    const r = await run(['search', 'transformer']);
    expect(r.code, r.stderr).toBe(0);
    expect(ids(r.stdout)).toEqual(['2501.00004', '2501.00001']);
  });

  it('the terminal view highlights the match in the stored text, with no inserted characters', async () => {
    const r = await run(['search', '--color', 'always', '模态'], { env: { PAPERS_FORCE_TTY: '1', COLUMNS: '120' } });
    expect(r.code, r.stderr).toBe(0);
    const plain = stripAnsi(r.stdout);
    expect(plain).toContain('基于多模态大模型的视觉问答');
    expect(plain).toContain('我们提出一种新的多模态大模型，结合视觉 transformer 与语言模型。');
    expect(r.stdout).not.toContain('\u200b');
    // In the title and the abstract, exactly the two characters are painted.
    const painted = [...r.stdout.matchAll(/\x1b\[31m([^\x1b]*)\x1b\[39m/g)].map((m) => m[1]);
    expect(painted).toEqual(['模态', '模态']);
  });

  it('JSON output keeps the stored text', async () => {
    const r = await run(['search', '多模态', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ title: '基于多模态大模型的视觉问答', authors: ['张伟', '李娜'] });
  });

  it('a watched CJK term selects the papers with it (--watched)', async () => {
    const { run: runOwn } = withDb();
    expect((await runOwn(['import', file])).code).toBe(0);
    expect((await runOwn(['watch', 'add', '言語モデル'])).code).toBe(0);
    const r = await runOwn(['list', '--date', '2025-01-03', '--watched']);
    expect(r.code, r.stderr).toBe(0);
    expect(ids(r.stdout)).toEqual(['2501.00002']);
    expect((await runOwn(['list', '--date', '2025-01-02', '--watched'])).code).toBe(1);
    // On a terminal the term is painted inside the title's run, and only it (then the "◆ term" note).
    const tty = await runOwn(['list', '--date', '2025-01-03', '--color', 'always'], { env: { PAPERS_FORCE_TTY: '1', COLUMNS: '120' } });
    expect(stripAnsi(tty.stdout)).toContain('大規模言語モデルによるトランスフォーマーの解析');
    expect([...tty.stdout.matchAll(/\x1b\[31m([^\x1b]*)\x1b\[39m/g)].map((m) => m[1])).toEqual(['言語モデル', '◆ 言語モデル']);
  });

  it('a title changed by a later import is searched by its new text only, and the index stays sound', async () => {
    const { run: runOwn } = withDb();
    expect((await runOwn(['import', file])).code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'papers-cjk-'));
    const changed = join(dir, 'changed.jsonl');
    writeFileSync(changed, paper('2501.00001', '基于扩散模型的图像生成', '扩散模型。', ['张伟'], '2025-01-02') + '\n');
    expect((await runOwn(['import', changed])).code).toBe(0);
    expect(ids((await runOwn(['search', '扩散'])).stdout)).toEqual(['2501.00001']);
    expect((await runOwn(['search', '多模态'])).code).toBe(1);
    const check = await runOwn(['cache', 'check']);
    expect(check.code, check.stderr).toBe(0);
  });

  it('grep matches by script: \\p{Script=Han} and \\p{Script=Hangul}', async () => {
    const han = await run(['grep', '\\p{Script=Han}']);
    expect(han.code, han.stderr).toBe(0);
    expect(ids(han.stdout).sort()).toEqual(['2501.00001', '2501.00002']);
    const hangul = await run(['grep', '-c', '\\p{Script=Hangul}+']);
    expect(hangul.stdout).toBe('1\n');
    const word = await run(['grep', '-l', '模态']);
    expect(word.stdout).toBe('2501.00001\n');
  });
});
