/** Table cells of the normalised text, whatever the flattening: tabs, `|`, runs of spaces, or one cell per line. */

export interface Cell {
  text: string;
  start: number;
  end: number;
  line: number;
}

export interface Line {
  text: string;
  start: number;
  end: number;
  /** The line's cells; a prose line is one cell. */
  cells: Cell[];
  /** True when the line was split on tabs, `|` or runs of spaces: a table row. */
  tabular: boolean;
  /** For tab or `|` rows: every column slot, null where the cell is empty, so columns keep their index. */
  slots: Array<Cell | null> | null;
}

/** Placeholders for an empty cell. */
const EMPTY_CELL = /^(?:[—–-]+|\/|／|无)$/;

const SPLIT = /\t+|\s*\|\s*|\s{3,}/g;

/** Splits the text into lines and cells, keeping offsets into the text. */
export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let pos = 0;
  let n = 0;
  for (const raw of text.split('\n')) {
    const start = pos;
    pos += raw.length + 1;
    const cells: Cell[] = [];
    let tabular = false;
    let last = 0;
    const push = (a: number, b: number) => {
      const seg = raw.slice(a, b);
      const lead = seg.length - seg.trimStart().length;
      const t = seg.trim();
      if (t) cells.push({ text: t, start: start + a + lead, end: start + a + lead + t.length, line: n });
    };
    for (const m of raw.matchAll(spaceRow(raw) ? /\s+/g : SPLIT)) {
      tabular = true;
      push(last, m.index!);
      last = m.index! + m[0].length;
    }
    push(last, raw.length);
    lines.push({ text: raw, start, end: start + raw.length, cells, tabular, slots: tabular && /[\t|]/.test(raw) ? slotsOf(raw, start, n) : null });
    n++;
  }
  return lines;
}

function slotsOf(raw: string, start: number, line: number): Array<Cell | null> {
  const parts = raw.includes('\t') ? raw.split('\t') : raw.replace(/^\s*\|/, '').replace(/\|\s*$/, '').split('|');
  const out: Array<Cell | null> = [];
  let pos = raw.includes('\t') ? 0 : raw.indexOf('|') + 1;
  for (const part of parts) {
    const t = part.trim();
    const at = start + pos + (part.length - part.trimStart().length);
    out.push(t && !EMPTY_CELL.test(t) ? { text: t, start: at, end: at + t.length, line } : null);
    pos += part.length + 1;
  }
  return out;
}

/**
 * A row whose cells a spreadsheet export separated by single spaces ("全年预算数 全年执行数 执行率 52.30 51.78 99%"):
 * no sentence punctuation, at least four short tokens, and at least two figures or three table labels.
 */
export function spaceRow(raw: string): boolean {
  const t = raw.trim();
  if (!t.includes(' ') || /[，。；：,;:、|\t]/.test(t)) return false;
  const tokens = t.split(/\s+/);
  if (tokens.length < 4 || tokens.some((x) => x.length > 40)) return false;
  const figures = tokens.filter((x) => isNumericCell(x)).length;
  const labels = tokens.filter((x) => /(预算|执行|得分|分值|权重|名称|金额|资金|指标|序号|年度|单位)/.test(x)).length;
  return figures >= 2 || labels >= 3;
}

/** Every non-empty cell in reading order (rows flattened): one stream for tab rows and one-cell-per-line forms. */
export function cellStream(lines: Line[]): Cell[] {
  return lines.flatMap((l) => l.cells);
}

const NUMERIC_CELL = /^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:%|万元|元|分)?$/;

/** True for a cell that holds one figure (48.5, 100%, 1,436.20, 94分). */
export function isNumericCell(text: string): boolean {
  return NUMERIC_CELL.test(text.trim());
}

export interface Pair {
  label: string;
  labelCell: Cell;
  value: Cell;
  /** The row label the value row carried (年度资金总额, 其中：财政拨款), if any. */
  rowLabel: string | null;
}

/**
 * Label/figure pairs of every table: first row by row (a figures row under the nearest tab row of labels, aligned
 * from the right), then, for cells no row claimed, over the one-cell-per-line stream.
 */
export function tablePairs(lines: Line[]): Pair[] {
  const pairs: Pair[] = [];
  const used = new Set<number>();
  lines.forEach((line, idx) => {
    if (!line.tabular || line.cells.length < 2) return;
    const cells = line.cells.filter((c) => !EMPTY_CELL.test(c.text));
    const first = cells[0];
    if (!first) return;
    const rowLabel = !isNumericCell(first.text) && isRowLabel(first.text) ? first.text : null;
    const values = rowLabel ? cells.slice(1) : cells;
    if (values.length < 1 || !values.every((c) => isNumericCell(c.text))) return;
    for (let k = idx - 1; k >= Math.max(0, idx - 8); k--) {
      const h = lines[k]!;
      if (!h.tabular) continue;
      if (h.cells.some((c) => isNumericCell(c.text))) {
        // Another figures row of the same table (年度资金总额 above 其中：…): the header is further up.
        if (h.cells[0] && isRowLabel(h.cells[0].text)) continue;
        return;
      }
      // Same column count with empty slots kept: align by column; otherwise align the figures from the right.
      if (h.slots && line.slots && h.slots.length === line.slots.length) {
        line.slots.forEach((v, i) => {
          const label = h.slots![i];
          if (!v || !label || !values.some((c) => c.start === v.start)) return;
          pairs.push({ label: label.text, labelCell: label, value: v, rowLabel });
          used.add(v.start);
        });
        return;
      }
      if (values.length < 2 || h.cells.length < values.length) return;
      const offset = h.cells.length - values.length;
      values.forEach((v, i) => {
        pairs.push({ label: h.cells[offset + i]!.text, labelCell: h.cells[offset + i]!, value: v, rowLabel });
        used.add(v.start);
      });
      return;
    }
  });
  const rest = lines.flatMap((l) => l.cells);
  for (const p of headerValuePairs(rest)) if (!used.has(p.value.start)) pairs.push(p);
  return pairs;
}

/**
 * Header-row / value-row tables: a run of label cells followed (after at most one row-label cell) by a run of
 * figures; labels and figures are aligned from the right, since a leading corner cell has no figure.
 */
export function headerValuePairs(cells: Cell[]): Pair[] {
  const pairs: Pair[] = [];
  let i = 0;
  while (i < cells.length) {
    let j = i;
    while (j < cells.length && !isNumericCell(cells[j]!.text) && cells[j]!.text.length <= 16) j++;
    const headers = cells.slice(i, j);
    if (headers.length >= 2 && j < cells.length) {
      let k = j;
      while (k < cells.length && isNumericCell(cells[k]!.text)) k++;
      const values = cells.slice(j, k);
      if (values.length >= 2 && values.length <= headers.length) {
        // A row label like 年度资金总额 stands as the last "header" when values are one short of the headers.
        const rowLabelCell = values.length < headers.length ? headers[headers.length - 1] : undefined;
        const rowLabel = rowLabelCell && isRowLabel(rowLabelCell.text) ? rowLabelCell.text : null;
        const usable = rowLabel ? headers.slice(0, -1) : headers;
        const offset = usable.length - values.length;
        if (offset >= 0) {
          values.forEach((v, idx) => {
            const h = usable[offset + idx]!;
            pairs.push({ label: h.text, labelCell: h, value: v, rowLabel });
          });
        }
      }
      i = Math.max(k, i + 1);
    } else i = j + 1;
  }
  return pairs;
}

function isRowLabel(t: string): boolean {
  return /^(?:年度资金总额|其中.*|合计|总计|小计)$/.test(t);
}
