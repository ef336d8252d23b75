/** Runs in a worker thread: extracts one file per message, so that a batch keeps every core busy. */
import { parentPort } from 'node:worker_threads';
import { extractDocument } from '../extract/extract.ts';
import { Extraction } from '../schema.ts';
import type { ExtractOutcome, ExtractRequest } from './extract-pool.ts';
import { toFileError } from './file-error.ts';

const port = parentPort;
if (!port) throw new Error('extract-worker.ts must run in a worker thread');

port.on('message', async ({ task, name, bytes }: ExtractRequest) => {
  let outcome: ExtractOutcome;
  try {
    const extraction = Extraction.parse(await extractDocument(bytes, name));
    outcome = { ok: true, extraction };
  } catch (e) {
    outcome = { ok: false, error: toFileError(e) };
  }
  port.postMessage({ task, outcome });
});
