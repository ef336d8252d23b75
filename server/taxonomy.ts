/** The issue taxonomy (data/taxonomy.json): the fixed category codes with their Chinese and English names. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { IssueCategory } from './schema.ts';

/** The shape of data/taxonomy.json. */
export const Taxonomy = z.object({
  version: z.number().int(),
  categories: z.array(z.object({ code: IssueCategory, zh: z.string(), en: z.string(), covers: z.string() })),
});
export type Taxonomy = z.infer<typeof Taxonomy>;

const TAXONOMY_URL = new URL('../data/taxonomy.json', import.meta.url);
let cached: Promise<Taxonomy> | null = null;

/** Reads and validates the taxonomy once. */
export function loadTaxonomy(): Promise<Taxonomy> {
  cached ??= readFile(TAXONOMY_URL, 'utf8').then((text) => Taxonomy.parse(JSON.parse(text)));
  cached.catch(() => (cached = null));
  return cached;
}
