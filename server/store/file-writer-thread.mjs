// Runs on the writer thread (see file-writer.ts): carries out the requests it is sent, in order, with synchronous
// calls, and answers each batch with one message. Plain JavaScript, so that the thread starts without a TypeScript
// loader of its own.
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';

const port = parentPort;
if (!port) throw new Error('file-writer-thread.mjs must run in the thread started by file-writer.ts');

port.on('message', (batch) => {
  /** Files opened for this batch: consecutive writes to a pack share one open. */
  const open = new Map();
  const fd = (path, create) => {
    let f = open.get(path);
    if (f === undefined) open.set(path, (f = openSync(path, create ? 'wx' : 'r+', 0o600)));
    return f;
  };
  const results = batch.map((request) => {
    try {
      run(request, fd);
      return { task: request.task };
    } catch (e) {
      return { task: request.task, error: e.message };
    }
  });
  for (const f of open.values()) closeSync(f);
  port.postMessage(results);
});

function run(request, fd) {
  switch (request.op) {
    case 'write': {
      const dir = dirname(request.path);
      if (request.create) mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeAll(fd(request.path, request.create), request.bytes, request.offset);
      // A new file's name (and its directory's, if that is new too) must survive a power cut as well as its contents.
      if (request.create) {
        sync(dir);
        sync(dirname(dir));
      }
      return;
    }
    case 'sync':
      return fsyncSync(fd(request.path, false));
    case 'erase':
      return writeAll(fd(request.path, false), new Uint8Array(request.length), request.offset);
    default:
      throw new Error(`unknown file operation ${request.op}`);
  }
}

function writeAll(fd, bytes, offset) {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, offset + done);
}

function sync(path) {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
