/**
 * .docx reports: the text of word/document.xml, one paragraph per line and one table row per line with its cells
 * joined by tabs (the shape of the tab-flattened tables in the bundled seed reports).
 */
import { XMLParser } from 'fast-xml-parser';
import iconv from 'iconv-lite';
import { ListCounter, type Numbering, type NumberingLevel } from './docx-numbering.ts';
import { ReadError } from './read-error.ts';
import { inflateZipEntry, listZipEntries, ZipEntryTooLarge } from './unzip-entry.ts';

/** Largest word/document.xml unpacked; a real report's is a few MB, a zip bomb's is gigabytes (20 MB keeps one parse within a worker's memory). */
export const MAX_DOCUMENT_XML_BYTES = 20 * 1024 * 1024;
/** Deepest element nesting accepted; real documents stay below ~40 even with nested tables and text boxes. */
export const MAX_XML_DEPTH = 256;
// A cell spanning more grid columns than this is damaged; the cap keeps a hostile gridSpan from making huge rows.
const MAX_GRID_SPAN = 64;

/** A parsed element in fast-xml-parser's preserveOrder shape: `{ tag: children, ':@': attributes }` or `{ '#text': s }`. */
type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  removeNSPrefix: true, // generators differ in prefixes (w:, ns0:, none); local names are what matter
  ignoreAttributes: false,
  parseAttributeValue: false,
  parseTagValue: false, // keep "889.39" and "0010" as written
  trimValues: false, // spaces inside <w:t xml:space="preserve"> are text
  // Entities are decoded below in one pass: the parser leaves numeric references (&#x4E2D;) encoded, and decoding
  // them after it would double-decode "&amp;#20013;". No DOCTYPE entity is ever expanded.
  processEntities: false,
  htmlEntities: false,
  maxNestedTags: MAX_XML_DEPTH,
});

// Elements without document text: properties, tracked deletions, field instructions, bookmarks, references.
const SKIPPED = new Set([
  'pPr', 'rPr', 'tblPr', 'trPr', 'tcPr', 'tblGrid', 'tblPrEx', 'sectPr', 'sdtPr', 'sdtEndPr',
  'del', 'moveFrom', 'delText', 'delInstrText', 'instrText', 'fldData',
  'bookmarkStart', 'bookmarkEnd', 'commentRangeStart', 'commentRangeEnd', 'commentReference',
  'footnoteReference', 'endnoteReference', 'annotationRef', 'proofErr', 'lastRenderedPageBreak', 'sym',
]);

/** Reads the text of a .docx; throws ReadError for a zip that is not a .docx, a zip bomb or damaged XML. */
export function readDocx(bytes: Uint8Array): string {
  const entry = listZipEntries(bytes).find((e) => e.name.replace(/\\/g, '/').toLowerCase() === 'word/document.xml');
  if (!entry) {
    throw new ReadError(
      'UNSUPPORTED',
      'This file is a zip archive that is not a .docx document (it has no word/document.xml).',
      '该文件是 zip 压缩包，但不是 .docx 文档（其中没有 word/document.xml）。',
    );
  }
  if (entry.declaredSize > MAX_DOCUMENT_XML_BYTES) throw tooLarge();
  let xmlBytes: Uint8Array;
  try {
    xmlBytes = inflateZipEntry(bytes, entry, MAX_DOCUMENT_XML_BYTES);
  } catch (error) {
    throw error instanceof ZipEntryTooLarge ? tooLarge() : error;
  }

  let tree: XmlNode[];
  try {
    tree = parser.parse(decodeXml(xmlBytes)) as XmlNode[];
  } catch (error) {
    if (error instanceof Error && /nested/i.test(error.message)) {
      throw new ReadError(
        'CORRUPT',
        `This .docx file is damaged: its content is nested more than ${MAX_XML_DEPTH} levels deep.`,
        `该 .docx 文件已损坏：内容嵌套超过 ${MAX_XML_DEPTH} 层。`,
      );
    }
    throw new ReadError('CORRUPT', 'This .docx file is damaged: its text cannot be parsed.', '该 .docx 文件已损坏：无法解析其文本。');
  }
  const lines: string[] = [];
  lists = new ListCounter(readNumbering(bytes));
  try {
    renderBlocks(tree, lines, lines);
  } finally {
    lists = null;
  }
  return lines.join('\n');
}

/** Counters of automatic numbering for the document being rendered (rendering is synchronous). */
let lists: ListCounter | null = null;

/** Reads word/numbering.xml (absent or damaged: no automatic numbers, the text is still read). */
function readNumbering(bytes: Uint8Array): Numbering {
  const numbering: Numbering = new Map();
  const entry = listZipEntries(bytes).find((e) => e.name.replace(/\\/g, '/').toLowerCase() === 'word/numbering.xml');
  if (!entry || entry.declaredSize > MAX_DOCUMENT_XML_BYTES) return numbering;
  let tree: XmlNode[];
  try {
    tree = parser.parse(decodeXml(inflateZipEntry(bytes, entry, MAX_DOCUMENT_XML_BYTES))) as XmlNode[];
  } catch {
    return numbering;
  }
  const abstracts = new Map<string, Map<number, NumberingLevel>>();
  for (const abs of findAll(tree, 'abstractNum')) {
    const levels = new Map<number, NumberingLevel>();
    for (const lvl of childrenOf(abs, 'abstractNum').filter((c) => tagOf(c) === 'lvl')) {
      const val = (tag: string) => attributeOf(childNamed(lvl, tag), 'val');
      levels.set(Number(attributeOf(lvl, 'ilvl') ?? 0), { format: val('numFmt') ?? 'decimal', text: val('lvlText') ?? '', start: Number(val('start') ?? 1) || 1 });
    }
    abstracts.set(attributeOf(abs, 'abstractNumId') ?? '', levels);
  }
  for (const num of findAll(tree, 'num')) {
    const abstractId = attributeOf(childNamed(num, 'abstractNumId'), 'val');
    const levels = abstractId !== undefined ? abstracts.get(abstractId) : undefined;
    if (levels) numbering.set(attributeOf(num, 'numId') ?? '', levels);
  }
  return numbering;
}

function findAll(nodes: XmlNode[], tag: string, found: XmlNode[] = []): XmlNode[] {
  for (const node of nodes) {
    const name = tagOf(node);
    if (name === tag) found.push(node);
    else if (name !== undefined && name !== '#text') findAll(childrenOf(node, name), tag, found);
  }
  return found;
}

/** The generated list number of a paragraph (from its w:pPr/w:numPr), or ''. */
function listPrefix(nodes: XmlNode[]): string {
  if (!lists) return '';
  const pPr = nodes.find((n) => tagOf(n) === 'pPr');
  const numPr = childNamed(pPr, 'numPr');
  const numId = attributeOf(childNamed(numPr, 'numId'), 'val');
  if (!numPr || numId === undefined || numId === '0') return '';
  return lists.next(numId, Number(attributeOf(childNamed(numPr, 'ilvl'), 'val') ?? 0));
}

/**
 * Renders block content (paragraphs, tables, and the wrappers around them) as lines. `tablesOut` receives the rows
 * of tables met here: inside a table cell it is the list of lines that follow the enclosing row, so a nested table
 * comes out as its own rows right after the row that holds it, rather than being crammed into one cell.
 */
function renderBlocks(nodes: XmlNode[], out: string[], tablesOut: string[]): void {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === undefined || tag === '#text' || SKIPPED.has(tag)) continue;
    if (tag === 'p') renderParagraph(childrenOf(node, tag), out);
    else if (tag === 'tbl') renderTable(childrenOf(node, tag), tablesOut);
    else if (tag === 'AlternateContent') renderBlocks(chooseAlternative(childrenOf(node, tag)), out, tablesOut);
    else renderBlocks(childrenOf(node, tag), out, tablesOut); // body, sdt, sdtContent, customXml, ins, …
  }
}

function renderParagraph(nodes: XmlNode[], out: string[]): void {
  const paragraph = { text: listPrefix(nodes), after: [] as string[] };
  renderInline(nodes, paragraph);
  out.push(paragraph.text);
  append(out, paragraph.after);
}

/** Collects run text; text boxes and stray blocks inside the paragraph go to `after`, as lines of their own. */
function renderInline(nodes: XmlNode[], paragraph: { text: string; after: string[] }): void {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === undefined || tag === '#text' || SKIPPED.has(tag)) continue;
    const children = childrenOf(node, tag);
    switch (tag) {
      case 't':
        paragraph.text += textOf(children);
        break;
      case 'tab':
      case 'ptab':
        paragraph.text += '\t';
        break;
      case 'br':
      case 'cr':
        paragraph.text += '\n';
        break;
      case 'noBreakHyphen':
        paragraph.text += '-';
        break;
      case 'txbxContent':
      case 'p':
      case 'tbl':
        renderBlocks(tag === 'txbxContent' ? children : [node], paragraph.after, paragraph.after);
        break;
      case 'AlternateContent':
        renderInline(chooseAlternative(children), paragraph);
        break;
      default:
        renderInline(children, paragraph); // r, hyperlink, smartTag, fldSimple, ins, drawing, oMath, …
    }
  }
}

function renderTable(nodes: XmlNode[], out: string[]): void {
  for (const row of findDescendants(nodes, 'tr')) {
    const rowCells = findDescendants(childrenOf(row, 'tr'), 'tc');
    if (rowCells.length === 1) {
      // A one-cell row is a frame (some reports put whole sections in a layout table): keep its lines as lines.
      renderBlocks(childrenOf(rowCells[0]!, 'tc'), out, out);
      continue;
    }
    const cells: string[] = [];
    const nested: string[] = [];
    for (const cell of rowCells) {
      const lines: string[] = [];
      renderBlocks(childrenOf(cell, 'tc'), lines, nested);
      // A cell is one field of the row's line: its paragraphs, breaks and tabs become single spaces.
      cells.push(lines.map((line) => line.replace(/[\t\n]+/g, ' ').trim()).filter((line) => line !== '').join(' '));
      const span = Math.min(MAX_GRID_SPAN, Number(attributeOf(childNamed(childNamed(cell, 'tcPr'), 'gridSpan'), 'val')) || 1);
      for (let i = 1; i < span; i++) cells.push(''); // keeps later cells under their column, as spreadsheets export
    }
    out.push(cells.join('\t'));
    append(out, nested);
  }
}

/** Appends without spreading into arguments, which overflows the stack for very long lists. */
function append(out: string[], lines: string[]): void {
  for (const line of lines) out.push(line);
}

/** Elements named `tag` below `nodes`, not looking inside matches, nested tables, paragraphs or skipped elements. */
function findDescendants(nodes: XmlNode[], tag: string, found: XmlNode[] = []): XmlNode[] {
  for (const node of nodes) {
    const name = tagOf(node);
    if (name === tag) found.push(node);
    else if (name !== undefined && name !== '#text' && name !== 'tbl' && name !== 'p' && !SKIPPED.has(name)) {
      findDescendants(childrenOf(node, name), tag, found);
    }
  }
  return found;
}

/** Markup compatibility: the first mc:Choice, else mc:Fallback (which repeats the same text for older readers). */
function chooseAlternative(nodes: XmlNode[]): XmlNode[] {
  const choice = nodes.find((node) => tagOf(node) === 'Choice') ?? nodes.find((node) => tagOf(node) === 'Fallback');
  return choice ? childrenOf(choice, tagOf(choice)!) : [];
}

/** The first child element of `node` named `tag`. */
function childNamed(node: XmlNode | undefined, tag: string): XmlNode | undefined {
  const parentTag = tagOf(node);
  if (node === undefined || parentTag === undefined) return undefined;
  return childrenOf(node, parentTag).find((child) => tagOf(child) === tag);
}

function tagOf(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  for (const key in node) if (key !== ':@') return key;
  return undefined;
}

function childrenOf(node: XmlNode, tag: string): XmlNode[] {
  const children = node[tag];
  return Array.isArray(children) ? (children as XmlNode[]) : [];
}

function attributeOf(node: XmlNode | undefined, name: string): string | undefined {
  const attributes = node?.[':@'] as Record<string, unknown> | undefined;
  const value = attributes?.[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

function textOf(children: XmlNode[]): string {
  let text = '';
  for (const child of children) {
    const value = child['#text'];
    if (typeof value === 'string') text += value;
  }
  return text.includes('&') ? decodeEntities(text) : text;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  });
}

/** XML parts are UTF-8 unless they start with a UTF-16 byte-order mark. */
function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'utf-16be');
  return new TextDecoder('utf-8').decode(bytes);
}

function tooLarge(): ReadError {
  const mb = MAX_DOCUMENT_XML_BYTES / 1024 / 1024;
  return new ReadError(
    'TOO_LARGE',
    `This .docx file unpacks to more than ${mb} MB, too large to read (possibly a zip bomb).`,
    `该 .docx 文件解压后超过 ${mb} MB，过大无法读取（可能是恶意压缩包）。`,
  );
}
