/**
 * The URL query string as the app's state store: views, filters and options live there (bookmarkable).
 *
 * The views follow the URL once the new view's data is in: a change that sends queries holds their re-render until
 * those answer, or HOLD_MS at most, so they draw once, with the new figures, instead of twice (the new filters over the
 * old figures, then the new figures). At 100,000 reports the in-between render and paint took
 * 15–30 ms of every filter change, and slowed the engine beside it on a two-core machine (test/bench). Changes made
 * while typing or dragging (`navigate(…, { replace: true })`) show at once: their control shows the URL's value. The
 * filter bar follows the URL at once (`useLiveSearch`): a choice shows as made, and the next one builds on it.
 *
 * The app's query string (`live`) leads the address bar: a change is written into the browser's history (pushState)
 * once it is shown and drawn (the new figures, or the loading states when the hold ran out), when the page is hidden
 * or left, or after a second at most. Chromium's browser process spends 5–10 ms on each history write, which on a two-core
 * machine shared the CPU with the engine's answer to the change (test/bench). Back and forward (popstate) and a history
 * entry pushed by someone else (followed by a `urlchange` event) make the address bar the app's state again.
 */
import { useSyncExternalStore } from 'react';

const CHANGE = 'urlchange';

/** Longest a URL change waits for its data before the views re-render anyway (with their loading states). */
export const HOLD_MS = 100;
/** Longest a change's history write waits for the change to be drawn. */
const HISTORY_LATE_MS = 1000;

interface ChangeDetail {
  /** Render at once (typing, slider drags: the control shows the URL's value). */
  immediate?: boolean;
  /** Made by `navigate` (`live` holds it; its history write is pending). */
  internal?: boolean;
}

/** What a URL change waits for: the promises of the queries the new state's view runs. */
type Hold = (search: string) => Promise<unknown>[];

let hold: Hold = () => [];
const inPage = typeof window !== 'undefined';
/** The app's query string: the address bar's, or ahead of it by the history writes in `unwritten`. */
let live = inPage ? window.location.search : '';
let shown = live;
/** History writes not made yet, oldest first (`writeHistory`). */
const unwritten: { url: string; replace: boolean }[] = [];
let change = 0;
/** Whether a change is held, waiting for its data. */
let holding = false;
const listeners = new Set<() => void>();
/** Callbacks waiting until the held change is shown (`afterChangeShown`). */
const afterShown = new Set<() => void>();

function show(): void {
  holding = false;
  for (const cb of [...afterShown]) cb();
  if (shown === live) return;
  shown = live;
  for (const l of listeners) l();
}

function onUrlChange(e: Event): void {
  const token = ++change;
  const detail = (e as CustomEvent<ChangeDetail | null>).detail;
  if (detail?.internal !== true) {
    // Back/forward, or an entry pushed from outside the app: the address bar is the state (writes still pending
    // would come after it).
    unwritten.length = 0;
    live = window.location.search;
  }
  const immediate = detail?.immediate === true;
  const pending = immediate ? [] : hold(live);
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
  // Leaving or hiding the page writes what is pending (a hidden page draws no frame; a discarded one keeps its URL).
  window.addEventListener('pagehide', writeHistory);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') writeHistory(); });
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
  return useSyncExternalStore(subscribeLive, () => live);
}

/** The query string the page shows: the URL once the data of its last change is in (see above). */
export function useSearch(): string {
  return useSyncExternalStore(subscribeShown, () => shown);
}

/** Makes the pending history writes, in order (the change they belong to is shown and drawn). */
function writeHistory(): void {
  for (const { url, replace } of unwritten.splice(0)) {
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
  }
}

/**
 * Updates the query string; a history entry is pushed unless `replace` (for slider drags and typing, shown at once),
 * once the change is shown (see above).
 */
export function navigate(update: (search: URLSearchParams) => void, opts: { replace?: boolean } = {}): void {
  const search = new URLSearchParams(live);
  update(search);
  const qs = search.toString();
  const next = qs ? `?${qs}` : '';
  if (next === live) return;
  live = next;
  const first = unwritten.length === 0;
  unwritten.push({ url: `${window.location.pathname}${next}`, replace: opts.replace === true });
  window.dispatchEvent(new CustomEvent<ChangeDetail>(CHANGE, { detail: { immediate: opts.replace === true, internal: true } }));
  // After the dispatch: a change that waits for its data is held by now, and the write waits until it is shown — or
  // HISTORY_LATE_MS at most (no frame is drawn while the page is hidden).
  if (first) {
    afterChangeShown(writeHistory);
    setTimeout(writeHistory, HISTORY_LATE_MS);
  }
}

/** Navigates to `search` (a whole query string, with or without its `?`), as a link to it would. */
export function navigateTo(search: string): void {
  const target = new URLSearchParams(search);
  navigate((s) => {
    for (const k of [...s.keys()]) s.delete(k);
    for (const [k, v] of target) s.append(k, v);
  });
}

/** Builds an in-app link (href) with `update` applied to the current query string. */
export function hrefWith(update: (search: URLSearchParams) => void): string {
  const search = new URLSearchParams(live);
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
