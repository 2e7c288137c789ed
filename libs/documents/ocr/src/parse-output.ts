/**
 * Parsers of the engine programs' output: `pdftotext -bbox-layout`
 * (the words of a PDF text layer with their boxes) and Tesseract's TSV (the words it read, with boxes
 * and confidences). Pure functions, tested on captured output.
 */
import type { OcrPage, OcrWord } from '@cetate/documents-extraction';

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e]!,
  );
}

/**
 * Pages of `pdftotext -bbox-layout -enc UTF-8` output (XHTML written by poppler): one {@link OcrPage}
 * per `<page>`, in PDF points with the origin at the top-left corner (as poppler writes them), each
 * `<word>` with confidence 1 and the index of its `<line>` on the page as `line`. Words that are only
 * white space are dropped. The regular expressions rely on poppler's fixed output form (one element
 * per line, attributes in this order); anything else yields no words, never a wrong box.
 */
export function parseBboxLayout(xhtml: string): OcrPage[] {
  const pages: OcrPage[] = [];
  const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g;
  for (let pm = pageRe.exec(xhtml); pm; pm = pageRe.exec(xhtml)) {
    const words: OcrWord[] = [];
    const lineRe = /<line [^>]*>([\s\S]*?)<\/line>/g;
    let line = 0;
    for (let lm = lineRe.exec(pm[3]!); lm; lm = lineRe.exec(pm[3]!)) {
      const wordRe = /<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<\/word>/g;
      for (let wm = wordRe.exec(lm[1]!); wm; wm = wordRe.exec(lm[1]!)) {
        const text = unescapeXml(wm[5]!).trim();
        if (!text) continue;
        words.push({
          text,
          bbox: { x0: Number(wm[1]), y0: Number(wm[2]), x1: Number(wm[3]), y1: Number(wm[4]) },
          confidence: 1,
          line,
        });
      }
      line++;
    }
    pages.push({ page: pages.length + 1, width: Number(pm[1]), height: Number(pm[2]), words });
  }
  return pages;
}

/**
 * Pages of Tesseract's TSV output (`tesseract IMAGE stdout tsv`): columns `level page_num block_num
 * par_num line_num word_num left top width height conf text`. Level 1 rows give the page size (pixels),
 * level 5 rows the words: box in pixels (origin top-left), confidence 0..100 divided by 100, `line` the
 * index of the (block, paragraph, line) on the page in reading order. Words that are only white space
 * are dropped. `pageOffset` is added to Tesseract's page numbers (1-based per run).
 * @param scale multiplies every coordinate (e.g. 72/300 to give PDF points for a page rendered at 300 dpi)
 */
export function parseTesseractTsv(tsv: string, pageOffset = 0, scale = 1): OcrPage[] {
  const pages = new Map<number, OcrPage>();
  const lineIds = new Map<number, Map<string, number>>();
  for (const row of tsv.split('\n')) {
    const c = row.split('\t');
    if (c.length < 12 || c[0] === 'level') continue;
    const level = Number(c[0]);
    const pageNo = Number(c[1]) + pageOffset;
    if (level === 1) {
      pages.set(pageNo, { page: pageNo, width: Number(c[8]) * scale, height: Number(c[9]) * scale, words: [] });
      lineIds.set(pageNo, new Map());
      continue;
    }
    if (level !== 5) continue;
    const text = c.slice(11).join('\t').trim();
    const page = pages.get(pageNo);
    if (!text || !page) continue;
    const ids = lineIds.get(pageNo)!;
    const key = `${c[2]}/${c[3]}/${c[4]}`;
    let line = ids.get(key);
    if (line === undefined) {
      line = ids.size;
      ids.set(key, line);
    }
    const left = Number(c[6]);
    const top = Number(c[7]);
    const conf = Number(c[10]);
    page.words.push({
      text,
      bbox: { x0: left * scale, y0: top * scale, x1: (left + Number(c[8])) * scale, y1: (top + Number(c[9])) * scale },
      confidence: Math.min(1, Math.max(0, conf / 100)),
      line,
    });
  }
  return [...pages.values()].sort((a, b) => a.page - b.page);
}

/** How the text of a page is turned in the picture: the reading direction of its lines. */
export type TextOrientation = 'upright' | 'clockwise' | 'counter-clockwise' | 'upside-down';

/**
 * The reading direction of a page's lines, by majority over consecutive words of the same line:
 * left to right is `upright`; top to bottom means the page was turned 90° `clockwise` (a landscape
 * scan of a portrait page), bottom to top `counter-clockwise`, right to left `upside-down`. Tesseract
 * reads lines of a page turned by 90° (its layout analysis finds vertical text) but reports the boxes
 * in the picture as it is. Pages without two words on one line are `upright`.
 */
export function textOrientation(page: OcrPage): TextOrientation {
  const votes = { upright: 0, clockwise: 0, 'counter-clockwise': 0, 'upside-down': 0 };
  const byLine = new Map<number, OcrWord[]>();
  for (const w of page.words) if (w.line !== undefined) byLine.set(w.line, [...(byLine.get(w.line) ?? []), w]);
  for (const words of byLine.values()) {
    for (let i = 1; i < words.length; i++) {
      const a = words[i - 1]!.bbox;
      const b = words[i]!.bbox;
      const dx = (b.x0 + b.x1 - a.x0 - a.x1) / 2;
      const dy = (b.y0 + b.y1 - a.y0 - a.y1) / 2;
      if (Math.abs(dx) >= Math.abs(dy)) votes[dx >= 0 ? 'upright' : 'upside-down']++;
      else votes[dy > 0 ? 'clockwise' : 'counter-clockwise']++;
    }
  }
  return (Object.entries(votes) as [TextOrientation, number][]).reduce((best, e) => (e[1] > best[1] ? e : best), ['upright', 0] as [TextOrientation, number])[0];
}

/**
 * The page with its boxes turned back so that lines read left to right, top to bottom (width and
 * height swapped for a quarter turn), origin top-left of the upright page; the same page when it is
 * already upright. Word order and lines are kept.
 */
export function uprightPage(page: OcrPage): OcrPage {
  const o = textOrientation(page);
  if (o === 'upright') return page;
  const { width: W, height: H } = page;
  const turn = (x: number, y: number): [number, number] =>
    o === 'clockwise' ? [y, W - x] : o === 'counter-clockwise' ? [H - y, x] : [W - x, H - y];
  const words = page.words.map((w) => {
    const [ax, ay] = turn(w.bbox.x0, w.bbox.y0);
    const [bx, by] = turn(w.bbox.x1, w.bbox.y1);
    return { ...w, bbox: { x0: Math.min(ax, bx), y0: Math.min(ay, by), x1: Math.max(ax, bx), y1: Math.max(ay, by) } };
  });
  return o === 'upside-down' ? { ...page, words } : { ...page, width: H, height: W, words };
}
