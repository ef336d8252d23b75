/**
 * Serves one immutable file with a strong ETag, 304 on If-None-Match, and single byte ranges (206/416, If-Range),
 * as DuckDB reads Parquet by ranges. Written out rather than using sirv for the data files because sirv lists its
 * directory once at start (the data changes while we run) and reads `bytes=-N` suffix ranges as `0-N`.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How to describe the file in the response. */
export interface FileHeaders {
  etag: string;
  contentType: string;
  cacheControl: string;
  /** Send the file's .br or .gz sibling, when there is one, to a client that accepts it (Content-Encoding). */
  precompressed?: boolean;
}

/** The precompressed sibling to send for an Accept-Encoding header, best first. */
const ENCODINGS = [['br', '.br'], ['gzip', '.gz']] as const;

/** Answers a GET or HEAD for `path`; 404 when the file does not exist. */
export async function serveFile(req: IncomingMessage, res: ServerResponse, path: string, h: FileHeaders): Promise<void> {
  let size: number;
  let mtime: Date;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
    size = s.size;
    mtime = s.mtime;
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  let common: Record<string, string> = { ETag: h.etag, 'Cache-Control': h.cacheControl, 'Accept-Ranges': 'bytes', 'Last-Modified': mtime.toUTCString() };
  if (h.precompressed) {
    common.Vary = 'Accept-Encoding';
    const accepted = String(req.headers['accept-encoding'] ?? '').split(',').map((e) => e.trim().split(';')[0]!.toLowerCase());
    for (const [encoding, suffix] of ENCODINGS) {
      if (!accepted.includes(encoding)) continue;
      const sibling = await stat(path + suffix).catch(() => null);
      if (!sibling?.isFile()) continue;
      // Each representation has its own validator (RFC 9110 §8.8.3), and ranges count its own bytes.
      const etag = `${h.etag.slice(0, -1)}-${encoding}"`;
      common = { ...common, ETag: etag, 'Content-Encoding': encoding };
      path += suffix;
      size = sibling.size;
      h = { ...h, etag };
      break;
    }
  }

  if (matchesEtag(req.headers['if-none-match'], h.etag)) {
    res.writeHead(304, common).end();
    return;
  }

  const ifRange = req.headers['if-range'];
  const range = ifRange === undefined || ifRange === h.etag ? parseRange(req.headers.range, size) : null;
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...common, 'Content-Range': `bytes */${size}` }).end();
    return;
  }
  const [start, end] = range ?? [0, size - 1];
  const headers = { ...common, 'Content-Type': h.contentType, 'Content-Length': String(Math.max(0, end - start + 1)) };
  if (range) res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}` });
  else res.writeHead(200, headers);
  if (req.method === 'HEAD' || end < start) {
    res.end();
    return;
  }
  const stream = createReadStream(path, { start, end });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** If-None-Match holds `etag` (weak comparison, as RFC 9110 asks for this header) or `*`. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

/**
 * The byte range [start, end] asked for by a Range header, 'unsatisfiable', or null to send the whole file (no header,
 * a malformed one, or several ranges — which a server may answer with the whole file).
 */
export function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return [start, end];
}
