/**
 * Builds synthetic OCR pages for the tests: rows of cells placed at given coordinates, words sized
 * from a monospace-like font (width 0.55 em per character, word space 0.3 em, height 1 em), so that
 * words of a cell are one space apart and cells far apart are separate columns.
 *
 * A word written `{text|0.42}` gets OCR confidence 0.42; the others get the cell's (default 0.96).
 * Test support only: not exported from the package.
 */
import type { OcrPage, OcrWord } from '../types.js';

/** One cell: x of its first word, its text, optional confidence of its words. */
export type Cell = [x: number, text: string, confidence?: number];

/** One row: the y of its top and its cells. */
export interface Row {
  y: number;
  cells: Cell[];
}

/** Options of {@link syntheticPage}. */
export interface SyntheticPageOptions {
  page?: number;
  width?: number;
  height?: number;
  /** Font size (em) in page units; default 20 (a 150 dpi scan of 10 pt text). */
  fontSize?: number;
  /** Give every cell its own `line` id, as Tesseract does for separate blocks. Default: no ids. */
  lineIds?: boolean;
  /** Tilt in degrees: y grows by x·tan(angle) (a scan rotated by 1-2 degrees). */
  skewDegrees?: number;
}

/** A page from rows of cells. */
export function syntheticPage(rows: Row[], options: SyntheticPageOptions = {}): OcrPage {
  const fs = options.fontSize ?? 20;
  const tilt = Math.tan(((options.skewDegrees ?? 0) * Math.PI) / 180);
  const words: OcrWord[] = [];
  let lineId = 0;
  for (const row of rows) {
    for (const [x, text, confidence] of row.cells) {
      lineId++;
      let cx = x;
      for (const token of text.split(' ').filter((t) => t !== '')) {
        const m = /^\{(.+)\|([\d.]+)\}$/.exec(token);
        const wordText = m ? m[1]! : token;
        const conf = m ? Number(m[2]) : (confidence ?? 0.96);
        const w = wordText.length * 0.55 * fs;
        const dy = cx * tilt;
        words.push({
          text: wordText,
          bbox: { x0: cx, y0: row.y + dy, x1: cx + w, y1: row.y + dy + fs },
          confidence: conf,
          ...(options.lineIds ? { line: lineId } : {}),
        });
        cx += w + 0.3 * fs;
      }
    }
  }
  return { page: options.page ?? 1, width: options.width ?? 1700, height: options.height ?? 2400, words };
}

/** Rows from a compact list: `[y, ...cells]`. */
export function rows(...list: [number, ...Cell[]][]): Row[] {
  return list.map(([y, ...cells]) => ({ y, cells }));
}
