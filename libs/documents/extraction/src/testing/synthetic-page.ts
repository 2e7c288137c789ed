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
  /**
   * Rotation in degrees (positive: clockwise, lines go down to the right), as a scan placed 1-2
   * degrees askew: word centres rotate around the top-left corner, word boxes grow by the tilt.
   */
  skewDegrees?: number;
}

/** A page from rows of cells. */
export function syntheticPage(rows: Row[], options: SyntheticPageOptions = {}): OcrPage {
  const fs = options.fontSize ?? 20;
  const angle = ((options.skewDegrees ?? 0) * Math.PI) / 180;
  const sin = Math.sin(angle);
  const cos = Math.cos(angle);
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
        // rotate the centre; the axis-aligned box of a tilted word is taller by w·|sin|
        const mx = cx + w / 2;
        const my = row.y + fs / 2;
        const rx = mx * cos - my * sin;
        const ry = mx * sin + my * cos;
        const hw = (w * cos + fs * Math.abs(sin)) / 2;
        const hh = (fs * cos + w * Math.abs(sin)) / 2;
        words.push({
          text: wordText,
          bbox: { x0: rx - hw, y0: ry - hh, x1: rx + hw, y1: ry + hh },
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
