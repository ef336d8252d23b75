/**
 * The editor token: from EDITOR_TOKEN, or generated on first start and kept (mode 600) in the data directory.
 * Compared in constant time; an address that keeps presenting wrong tokens is locked out for a while.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Checks editor tokens and counts failures per client address. */
export interface EditorAuth {
  /** Whether `Authorization: Bearer <token>` carries the editor token. */
  check(authorization: string | undefined): boolean;
  /** Whether `ip` has failed too often recently. */
  isLocked(ip: string): boolean;
  recordFailure(ip: string): void;
  recordSuccess(ip: string): void;
}

const TOKEN_FILE = 'editor-token';
/** Failed attempts allowed per address within the window before it is locked out until the window ends. */
const MAX_FAILURES = 10;
const WINDOW_MS = 15 * 60_000;

/**
 * Returns the configured token, else the one kept in `dataDir`, else a new one (saved there and announced once through
 * `announce`, since nobody could use it otherwise).
 */
export async function loadEditorToken(
  dataDir: string,
  configured: string | null,
  announce: (token: string, file: string) => void,
): Promise<string> {
  if (configured) return configured;
  const file = join(dataDir, TOKEN_FILE);
  try {
    const saved = (await readFile(file, 'utf8')).trim();
    if (saved) return saved;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const token = randomBytes(24).toString('base64url');
  await writeFile(file, token + '\n', { mode: 0o600, flag: 'w' });
  await chmod(file, 0o600);
  announce(token, file);
  return token;
}

/** Creates the checker for `token`. */
export function createEditorAuth(token: string): EditorAuth {
  const expected = digest(token);
  const failures = new Map<string, { count: number; since: number }>();

  const entry = (ip: string) => {
    const e = failures.get(ip);
    if (e && Date.now() - e.since > WINDOW_MS) {
      failures.delete(ip);
      return undefined;
    }
    return e;
  };

  return {
    check(authorization) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      return match !== null && timingSafeEqual(digest(match[1]!), expected);
    },
    isLocked: (ip) => (entry(ip)?.count ?? 0) >= MAX_FAILURES,
    recordFailure(ip) {
      const e = entry(ip);
      if (e) e.count++;
      else {
        // Forget stale addresses now and then so the map cannot grow without bound.
        if (failures.size > 10_000) for (const key of [...failures.keys()]) entry(key);
        failures.set(ip, { count: 1, since: Date.now() });
      }
    },
    recordSuccess: (ip) => void failures.delete(ip),
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
