/** The URL query string as the app's state store: views, filters and options live there (bookmarkable). */
import { useSyncExternalStore } from 'react';

const CHANGE = 'urlchange';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

/** The current query string (re-renders when it changes). */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}

/** Updates the query string; pushes a history entry unless `replace` (for slider drags and typing). */
export function navigate(update: (search: URLSearchParams) => void, opts: { replace?: boolean } = {}): void {
  const search = new URLSearchParams(window.location.search);
  update(search);
  const qs = search.toString();
  const url = `${window.location.pathname}${qs ? `?${qs}` : ''}`;
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (opts.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

/** Builds an in-app link (href) with `update` applied to the current query string. */
export function hrefWith(update: (search: URLSearchParams) => void): string {
  const search = new URLSearchParams(window.location.search);
  update(search);
  const qs = search.toString();
  return `${window.location.pathname}${qs ? `?${qs}` : ''}`;
}

/** Reads a finite number parameter, else `fallback`. */
export function numberParam(search: URLSearchParams, name: string, fallback: number): number {
  const raw = search.get(name);
  const v = raw == null || raw === '' ? Number.NaN : Number(raw);
  return Number.isFinite(v) ? v : fallback;
}
