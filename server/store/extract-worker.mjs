// Worker-process entry: loads the TypeScript worker through tsx, so it runs the same under `tsx` and under vitest
// (the pool starts it without the parent's loader flags, and Node 20 cannot run .ts directly).
import { tsImport } from 'tsx/esm/api';

await tsImport('./extract-worker.ts', import.meta.url);
