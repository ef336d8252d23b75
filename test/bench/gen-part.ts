/**
 * `node --import tsx test/bench/gen-part.ts SEED FORMAT FROM TO STEP OUT`: writes reports FROM, FROM+STEP, … < TO of
 * corpus SEED (every file in FORMAT) into OUT, so that the bench can generate one corpus in several processes.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateReport, renderReport, type FileFormat } from '../../server/generate/corpus.ts';

const [seed, format, from, to, step, out] = process.argv.slice(2) as [string, FileFormat, string, string, string, string];
const shares = { txt: 0, docx: 0, pdf: 0, [format]: 1 };
const writes = new Set<Promise<void>>();
for (let i = Number(from); i < Number(to); i += Number(step)) {
  const report = generateReport(seed, i, shares);
  const write = renderReport(report).then((bytes) => writeFile(join(out, report.name), bytes));
  writes.add(write);
  void write.finally(() => writes.delete(write));
  if (writes.size >= 32) await Promise.race(writes);
}
await Promise.all(writes);
