/** Issue-category names (zh/en) from the bundled taxonomy, so they are there offline and before any request. */
import taxonomy from '../../data/taxonomy.json';
import type { Lang } from './i18n.ts';

const BY_CODE = new Map(taxonomy.categories.map((c) => [c.code, c]));

/** Every category code in taxonomy order. */
export const CATEGORY_CODES: string[] = taxonomy.categories.map((c) => c.code);

/** The category's name in `lang` (the code itself when unknown). */
export function categoryName(code: string, lang: Lang): string {
  const c = BY_CODE.get(code);
  return c ? c[lang] : code;
}
