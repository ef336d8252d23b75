/** Uploading one report file through `reports.upload` (plain HTTP link, FormData) with byte-level progress. */
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../../server/router.ts';

/** One file's result as the server reports it. */
export type UploadResult = inferRouterOutputs<AppRouter>['reports']['upload'][number];

/** Why an upload did not reach a per-file result: refused (auth), unreachable, or another error. */
export class UploadError extends Error {
  constructor(readonly code: 'UNAUTHORIZED' | 'NETWORK' | 'GENERIC', message: string) {
    super(message);
  }
}

/** A fetch built on XMLHttpRequest, because fetch cannot report upload progress. */
function xhrFetch(onProgress: (fraction: number) => void) {
  return (url: string | URL | Request, init?: RequestInit): Promise<Response> =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(init?.method ?? 'GET', String(url));
      new Headers(init?.headers).forEach((value, key) => xhr.setRequestHeader(key, value));
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
      xhr.onload = () => {
        const headers = new Headers();
        for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
          const i = line.indexOf(':');
          if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
        }
        resolve(new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText, headers }));
      };
      xhr.onerror = () => reject(new TypeError('network error'));
      xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
      init?.signal?.addEventListener('abort', () => xhr.abort());
      xhr.send((init?.body ?? null) as XMLHttpRequestBodyInit | null);
    });
}

/** Uploads `file` as the editor holding `token`; resolves with the server's result for the file. */
export async function uploadFile(file: File, token: string, onProgress: (fraction: number) => void): Promise<UploadResult> {
  const client = createTRPCClient<AppRouter>({
    links: [httpLink({
      url: '/trpc',
      fetch: xhrFetch(onProgress),
      headers: () => (token ? { Authorization: `Bearer ${token}` } : {}),
    })],
  });
  const form = new FormData();
  form.append('file', file, file.name);
  try {
    const [result] = await client.reports.upload.mutate(form);
    if (!result) throw new UploadError('GENERIC', 'empty response');
    return result;
  } catch (e) {
    if (e instanceof UploadError) throw e;
    if (e instanceof TRPCClientError) {
      const code = (e.data as { code?: string } | undefined)?.code;
      if (code === 'UNAUTHORIZED' || code === 'FORBIDDEN') throw new UploadError('UNAUTHORIZED', e.message);
      if (e.cause instanceof TypeError || /network|fetch/i.test(e.message) && !e.data) throw new UploadError('NETWORK', e.message);
      throw new UploadError('GENERIC', e.message);
    }
    throw new UploadError('GENERIC', (e as Error).message);
  }
}
