import { readdirSync, readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readDocument } from '../server/extract/read-document.ts';
import { expectReadError } from './fixtures/expect-read-error.ts';

const REPORTS = new URL('../data/reports/', import.meta.url);
const seeds = readdirSync(REPORTS)
  .filter((name) => name.endsWith('.txt'))
  .map((name) => ({ name, text: readFileSync(new URL(name, REPORTS), 'utf8') }));
const seed = seeds.find((s) => s.text.includes('预算执行率') && s.text.includes('889.39'))!;

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const encode = (text: string, encoding: string) => new Uint8Array(iconv.encode(text, encoding));
const withPrefix = (prefix: number[], body: Uint8Array) => new Uint8Array([...prefix, ...body]);

describe('readDocument on text files', () => {
  it('has seed reports to test with', () => {
    expect(seeds.length).toBeGreaterThan(0);
    expect(seed).toBeDefined();
  });

  it('reads UTF-8 as is', async () => {
    const result = await readDocument(utf8(seed.text));
    expect(result).toEqual({ text: seed.text, format: 'txt', encoding: 'utf-8' });
    expect(result.text.split('\n')).toContain('\t预算执行率');
    expect(result.text.split('\n')).toContain('\t889.39');
  });

  it.each(seeds.map((s) => [s.name, s.text]))('decodes the GBK encoding of %s to the same text', async (_name, text) => {
    const result = await readDocument(encode(text, 'gbk'));
    expect(result.encoding).toBe('gb18030');
    expect(result.text).toBe(text);
  });

  it.each([
    ['UTF-8 with BOM', withPrefix([0xef, 0xbb, 0xbf], utf8(seed.text)), 'utf-8'],
    ['UTF-16LE with BOM', withPrefix([0xff, 0xfe], encode(seed.text, 'utf-16le')), 'utf-16le'],
    ['UTF-16LE without BOM', encode(seed.text, 'utf-16le'), 'utf-16le'],
    ['UTF-16BE with BOM', withPrefix([0xfe, 0xff], encode(seed.text, 'utf-16be')), 'utf-16be'],
    ['UTF-16BE without BOM', encode(seed.text, 'utf-16be'), 'utf-16be'],
  ] as const)('decodes %s to the same text as the UTF-8 file, without the BOM', async (_label, bytes, encoding) => {
    const result = await readDocument(bytes);
    expect(result.encoding).toBe(encoding);
    expect(result.text).toBe(seed.text);
    expect(result.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('detects UTF-16 without BOM even when no character is ASCII (no zero bytes)', async () => {
    const text = '预算绩效评价报告，项目资金执行率为百分之百，评价结果为优。'.repeat(20);
    for (const encoding of ['utf-16le', 'utf-16be'] as const) {
      const result = await readDocument(encode(text, encoding));
      expect(result).toMatchObject({ text, encoding });
    }
  });

  it('tells Big5 from GBK for traditional-character reports', async () => {
    const text = '2022年度部門整體支出績效評價報告\n一、部門基本情況\n預算執行率為98.5%，評價結果為優。項目資金使用管理規範，專項資金到位及時。\n'.repeat(10);
    expect(await readDocument(encode(text, 'big5'))).toMatchObject({ text, encoding: 'big5' });
    expect(await readDocument(encode(text, 'gbk'))).toMatchObject({ text, encoding: 'gb18030' });
  });

  it('normalises Windows and old Mac line endings to \\n', async () => {
    const crlf = seed.text.replace(/\n/g, '\r\n');
    expect((await readDocument(utf8(crlf))).text).toBe(seed.text);
    expect((await readDocument(encode(crlf, 'gbk'))).text).toBe(seed.text);
    expect((await readDocument(utf8('预算执行率\r100%\r'))).text).toBe('预算执行率\n100%\n');
  });

  it('is pure: the same bytes give the same text and the input is left untouched', async () => {
    const bytes = encode(seed.text, 'gbk');
    const copy = bytes.slice();
    const first = await readDocument(bytes);
    const second = await readDocument(bytes);
    expect(second).toEqual(first);
    expect(bytes).toEqual(copy);
  });

  it('refuses an empty file', async () => {
    await expectReadError(readDocument(new Uint8Array(0)), 'EMPTY', /empty/);
  });

  it('refuses a file of blank space only', async () => {
    await expectReadError(readDocument(utf8(' \n\t\r\n\u3000 \n')), 'NO_TEXT', /no text/);
    await expectReadError(readDocument(withPrefix([0xff, 0xfe], encode('  \r\n  ', 'utf-16le'))), 'NO_TEXT', /no text/);
  });

  it('refuses random binary bytes as not a text, .docx or .pdf file', async () => {
    let state = 12345;
    const bytes = new Uint8Array(64 * 1024).map(() => {
      state = (state * 1103515245 + 12345) >>> 0; // a fixed LCG: the same "random" bytes every run
      return state >>> 24;
    });
    await expectReadError(readDocument(bytes), 'UNSUPPORTED', /not a text, \.docx or \.pdf file/);
  });

  it('refuses images and old Word files with a message saying what they are', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    await expectReadError(readDocument(png), 'UNSUPPORTED', /image/);
    const doc = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Uint8Array(504)]);
    await expectReadError(readDocument(doc), 'UNSUPPORTED', /\.doc/);
  });

  it('reads a 50 MB single-line text file quickly', async () => {
    const line = seed.text.replace(/\s+/g, '');
    const bytes = utf8(line.repeat(Math.ceil((50 * 1024 * 1024) / Buffer.byteLength(line))));
    expect(bytes.length).toBeGreaterThanOrEqual(50 * 1024 * 1024);
    const started = performance.now();
    const result = await readDocument(bytes);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result.encoding).toBe('utf-8');
    expect(result.text.includes('\n')).toBe(false);
    expect(Buffer.byteLength(result.text)).toBe(bytes.length);
  });

  it('reads a 50 MB single-line GBK file quickly', async () => {
    const line = seed.text.replace(/\s+/g, '');
    const bytes = encode(line.repeat(Math.ceil((50 * 1024 * 1024) / (line.length * 2))), 'gbk');
    const started = performance.now();
    const result = await readDocument(bytes);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result.encoding).toBe('gb18030');
    expect(result.text.startsWith(line)).toBe(true);
  });

  it('refuses a file over the size limit before reading it', async () => {
    await expectReadError(readDocument(new Uint8Array(129 * 1024 * 1024)), 'TOO_LARGE', /larger than 128 MB/);
  });
});

describe('programs and archives', () => {
  it('refuses an executable even though its bytes decode as GB18030', async () => {
    const exe = new Uint8Array(2050).fill(0x90);
    exe[0] = 0x4d;
    exe[1] = 0x5a;
    await expectReadError(readDocument(exe), 'UNSUPPORTED', /program or a compressed archive/);
  });
});
