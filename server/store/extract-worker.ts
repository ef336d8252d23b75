/**
 * Runs in a worker process (see extract-pool.ts): extracts the files it is sent one at a time, in order (the pool
 * times the file at the head of each worker's line, so a worker must not start the next file before answering the
 * current one). Exits when the server goes away.
 */
import { extractDocument } from '../extract/extract.ts';
import { Extraction } from '../schema.ts';
import type { ExtractOutcome, ExtractRequest, WorkerMessage } from './extract-pool.ts';
import { toFileError } from './file-error.ts';

const send = process.send?.bind(process);
if (!send) throw new Error('extract-worker.ts must run in a process started by the extraction pool');

let line: Promise<void> = Promise.resolve();
process.on('message', (request: ExtractRequest) => {
  line = line.then(() => run(request));
});
// The server died (even by kill -9): nobody is waiting for results.
process.on('disconnect', () => process.exit(0));
// Loaded: from now on the pool counts each file's time limit.
send({ ready: true } satisfies WorkerMessage);

async function run({ task, name, bytes }: ExtractRequest): Promise<void> {
  let outcome: ExtractOutcome;
  try {
    const extraction = Extraction.parse(await extractDocument(bytes, name));
    outcome = { ok: true, extraction };
  } catch (e) {
    outcome = { ok: false, error: toFileError(e) };
  }
  send!({ task, outcome } satisfies WorkerMessage);
}
