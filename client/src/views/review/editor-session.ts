/**
 * The editor's session in this browser: the token (sessionStorage, shared with the upload view) authorises changes,
 * the name (localStorage) is recorded with them. `useEditor` says whether the server accepts the token.
 */
import { useSyncExternalStore } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '../../../../server/router.ts';
import { manifestOptions } from '../../db/dataset.ts';

const TOKEN_KEY = 'dashboard.editorToken';
const NAME_KEY = 'dashboard.editorName';
const listeners = new Set<() => void>();

/** The token and name as entered (empty when not). */
export interface EditorSession {
  token: string;
  name: string;
}

function read(storage: () => Storage, key: string): string {
  try {
    return storage().getItem(key) ?? '';
  } catch {
    return '';
  }
}

function write(storage: () => Storage, key: string, value: string): void {
  try {
    if (value) storage().setItem(key, value);
    else storage().removeItem(key);
  } catch {
    // Without storage the value lives only until the page reloads.
    memory.set(key, value);
  }
  listeners.forEach((l) => l());
}

const memory = new Map<string, string>();
let snapshot: EditorSession = { token: '', name: '' };

function current(): EditorSession {
  const token = memory.get(TOKEN_KEY) ?? read(() => sessionStorage, TOKEN_KEY);
  const name = memory.get(NAME_KEY) ?? read(() => localStorage, NAME_KEY);
  // Same object while nothing changed, as useSyncExternalStore requires.
  if (token !== snapshot.token || name !== snapshot.name) snapshot = { token, name };
  return snapshot;
}

/** The session (re-renders when the token or name changes). */
export function useEditorSession(): EditorSession {
  return useSyncExternalStore((l) => { listeners.add(l); return () => listeners.delete(l); }, current);
}

/** Keeps the token for this browser session. */
export function setEditorToken(token: string): void {
  write(() => sessionStorage, TOKEN_KEY, token.trim());
}

/** Remembers the editor's name on this browser. */
export function setEditorName(name: string): void {
  write(() => localStorage, NAME_KEY, name);
}

/** A tRPC client sending the editor token. */
export function editorClient(token: string) {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: '/trpc', headers: () => ({ Authorization: `Bearer ${token}` }) })],
  });
}

/** The session and whether the server accepted its token (edit controls show only then). */
export function useEditor(): EditorSession & { canEdit: boolean; checking: boolean; refused: boolean } {
  const session = useEditorSession();
  const check = useQuery({
    queryKey: ['editor-token', session.token],
    queryFn: () => editorClient(session.token).review.checkToken.query(),
    enabled: session.token !== '',
    // A wrong token counts towards the server's lock-out: ask once per token.
    retry: false,
    staleTime: Infinity,
  });
  const has = session.token !== '';
  return { ...session, canEdit: has && check.isSuccess, checking: has && check.isFetching, refused: has && check.isError };
}

/** After a change: the report, queue and audit refetch, and the dashboard moves to the new data version. */
export function useAfterChange(): () => Promise<string> {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'duckdb' && q.queryKey[0] !== 'editor-token' });
    return (await queryClient.fetchQuery(manifestOptions())).version;
  };
}
