/** The briefing pack's list of charts, kept in localStorage (survives reloads, shared by the tabs of this browser). */
import { useSyncExternalStore } from 'react';
import { EMPTY_FILTERS, type Filters } from '../filters/filters.ts';
import { isChartId, type ChartOptions, type ExportTarget } from './chart-specs.ts';

/** One chart in the briefing: what to draw, with the filters and options it was added with. */
export interface BriefingItem extends ExportTarget {
  id: string;
  addedAt: string;
}

const KEY = 'dashboard.briefing';
const listeners = new Set<() => void>();
let cache: { raw: string | null; items: BriefingItem[] } = { raw: null, items: [] };

function isFilters(v: unknown): v is Filters {
  const f = v as Filters | null;
  return f != null && typeof f === 'object' && Array.isArray(f.years) && f.years.every((y) => Number.isInteger(y));
}

/** The stored list, validated (anything unreadable is dropped rather than breaking the view). */
export function readBriefing(): BriefingItem[] {
  let raw: string | null = null;
  try {
    raw = localStorage.getItem(KEY);
  } catch {
    return cache.items;
  }
  if (raw === cache.raw) return cache.items;
  let items: BriefingItem[] = [];
  try {
    const parsed = JSON.parse(raw ?? '[]') as unknown;
    if (Array.isArray(parsed)) {
      items = parsed.filter((x): x is BriefingItem => x != null && typeof x.id === 'string' && isChartId(x.chart) && isFilters(x.filters))
        .map((x) => ({ ...x, filters: { ...EMPTY_FILTERS, ...x.filters }, options: (x.options ?? {}) as ChartOptions }));
    }
  } catch {
    // A corrupt entry starts an empty list.
  }
  cache = { raw, items };
  return items;
}

function write(items: BriefingItem[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(items));
  } catch {
    // Storage refused (private mode, quota): keep the list for this page at least.
    cache = { raw: cache.raw, items };
  }
  listeners.forEach((l) => l());
}

/** Adds a chart with its filters and options; returns the new item. */
export function addToBriefing(target: ExportTarget): BriefingItem {
  const item: BriefingItem = {
    id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    chart: target.chart,
    filters: target.filters,
    options: target.options,
    addedAt: new Date().toISOString(),
  };
  write([...readBriefing(), item]);
  return item;
}

/** Removes one item. */
export function removeFromBriefing(id: string): void {
  write(readBriefing().filter((x) => x.id !== id));
}

/** Moves one item up (-1) or down (+1). */
export function moveInBriefing(id: string, delta: -1 | 1): void {
  const items = [...readBriefing()];
  const i = items.findIndex((x) => x.id === id);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= items.length) return;
  [items[i], items[j]] = [items[j]!, items[i]!];
  write(items);
}

/** Moves one item to position `to` (drag and drop). */
export function placeInBriefing(id: string, to: number): void {
  const items = readBriefing().filter((x) => x.id !== id);
  const item = readBriefing().find((x) => x.id === id);
  if (!item) return;
  items.splice(Math.max(0, Math.min(to, items.length)), 0, item);
  write(items);
}

/** Empties the briefing. */
export function clearBriefing(): void {
  write([]);
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  const onStorage = (e: StorageEvent) => { if (e.key === KEY) l(); };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(l);
    window.removeEventListener('storage', onStorage);
  };
}

/** The briefing list (re-renders when it changes, here or in another tab). */
export function useBriefing(): BriefingItem[] {
  return useSyncExternalStore(subscribe, readBriefing);
}
