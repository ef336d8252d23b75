// Worker-thread entry: loads the TypeScript worker through tsx, so it runs the same under `tsx` and under vitest
// (a worker thread does not inherit the parent's loader, and Node 20 cannot run .ts directly).
import { tsImport } from 'tsx/esm/api';

await tsImport('./extract-worker.ts', import.meta.url);
