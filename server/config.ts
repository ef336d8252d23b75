/** Server settings from the environment and command-line flags, with their defaults. */
import { resolve } from 'node:path';

/** Everything `startServer` and the CLIs need to know about their environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** The editor token from `EDITOR_TOKEN`; null means generate one on first start and keep it in the data dir. */
  editorToken: string | null;
  maxUploadMb: number;
  /** Per-file extraction time limit, seconds. */
  extractTimeoutS: number;
  /** Heap limit of each extraction worker, MB. */
  extractMemoryMb: number;
}

/**
 * Reads `PORT`, `HOST`, `DATA_DIR`, `EDITOR_TOKEN`, `MAX_UPLOAD_MB`, `EXTRACT_TIMEOUT_S`, `EXTRACT_MEMORY_MB` and the
 * `--data-dir` flag (which wins over env).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv.slice(2)): Config {
  return {
    port: parseNumber('PORT', env.PORT, 3000),
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir: resolve(flagValue(argv, '--data-dir') ?? (env.DATA_DIR?.trim() || 'data/store')),
    editorToken: env.EDITOR_TOKEN?.trim() || null,
    maxUploadMb: parseNumber('MAX_UPLOAD_MB', env.MAX_UPLOAD_MB, 20),
    extractTimeoutS: parseNumber('EXTRACT_TIMEOUT_S', env.EXTRACT_TIMEOUT_S, 120),
    extractMemoryMb: parseNumber('EXTRACT_MEMORY_MB', env.EXTRACT_MEMORY_MB, 512),
  };
}

/** The value of `--name value` or `--name=value`, or undefined. */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === name) return argv[i + 1];
    if (arg.startsWith(name + '=')) return arg.slice(name.length + 1);
  }
  return undefined;
}

function parseNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}
