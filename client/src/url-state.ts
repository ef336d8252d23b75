/**
 * The URL query string as the app's state store: views, filters and options live there (bookmarkable).
 *
 * The views follow the URL once the new view's data is in: a change that sends queries holds their re-render until
 * those answer, or HOLD_MS at most, so they draw once, with the new figures, instead of twice (the new filters over the
 * old figures, then the new figures). At 100,000 reports the in-between render and paint took
 * 15–30 ms of every filter change, and slowed the engine beside it on a two-core machine (test/bench). Changes made
 * while typing or dragging (`navigate(…, { replace: true })`) show at once: their control shows the URL's value. The
 * filter bar follows the URL at once (`useLiveSearch`): a choice shows as made, and the next one builds on it.
 */
import { useSyncExternalStore } from 'react';

const CHANGE = 'urlchange';

/** Longest a URL change waits for its data before the views re-render anyway (with their loading states). */
export const HOLD_MS = 100;

interface ChangeDetail {
  /** Render at once (typing, slider drags: the control shows the URL's value). */
  immediate?: boolean;
}

/** What a URL change waits for: the promises of the queries the new state's view runs. */
type Hold = (search: string) => Promise<unknown>[];

let hold: Hold = () => [];
const inPage = typeof window !== 'undefined';
let shown = inPage ? window.location.search : '';
let change = 0;
/** Whether a change is held, waiting for its data. */
let holding = false;
const listeners = new Set<() => void>();
/** Callbacks waiting until the held change is shown (`afterChangeShown`). */
const afterShown = new Set<() => void>();

function show(): void {
  holding = false;
  for (const cb of [...afterShown]) cb();
  if (shown === window.location.search) return;
  shown = window.location.search;
  for (const l of listeners) l();
}

function onUrlChange(e: Event): void {
  const token = ++change;
  const immediate = (e as CustomEvent<ChangeDetail | null>).detail?.immediate === true;
  const pending = immediate ? [] : hold(window.location.search);
  if (pending.length === 0) {
    show();
    return;
  }
  holding = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => { timer = setTimeout(resolve, HOLD_MS); });
  void Promise.race([Promise.allSettled(pending), late]).then(() => {
    clearTimeout(timer);
    // A later change supersedes this one (it shows the URL as it is then).
    if (token === change) show();
  });
}

if (inPage) {
  window.addEventListener('popstate', onUrlChange);
  window.addEventListener(CHANGE, onUrlChange);
}

/**
 * Runs `fn` once the change being held (if any) is shown and its frame drawn: for work the user does not see at once
 * (the filter bar's option lists), which would otherwise share the CPU with the engine and the views' render. Returns
 * a cancel function.
 */
export function afterChangeShown(fn: () => void): () => void {
  let cancelled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    afterShown.delete(run);
    // The views render on show(); the callback runs after the next frame, in a task of its own.
    requestAnimationFrame(() => { timer = setTimeout(() => { if (!cancelled) fn(); }); });
  };
  if (holding) afterShown.add(run);
  else run();
  return () => {
    cancelled = true;
    afterShown.delete(run);
    clearTimeout(timer);
  };
}

/** Sets what URL changes wait for (App: the new view's queries, sent to the engine right here). */
export function holdUrlChanges(fn: Hold): void {
  hold = fn;
}

function subscribeShown(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

function subscribeLive(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

/** The query string as it is now (the filter bar's controls). */
export function useLiveSearch(): string {
  return useSyncExternalStore(subscribeLive, () => window.location.search);
}

/** The query string the page shows: the URL once the data of its last change is in (see above). */
export function useSearch(): string {
  return useSyncExternalStore(subscribeShown, () => shown);
}

/** Updates the query string; pushes a history entry unless `replace` (for slider drags and typing, shown at once). */
export function navigate(update: (search: URLSearchParams) => void, opts: { replace?: boolean } = {}): void {
  const search = new URLSearchParams(window.location.search);
  update(search);
  const qs = search.toString();
  const url = `${window.location.pathname}${qs ? `?${qs}` : ''}`;
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (opts.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new CustomEvent<ChangeDetail>(CHANGE, { detail: { immediate: opts.replace === true } }));
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
