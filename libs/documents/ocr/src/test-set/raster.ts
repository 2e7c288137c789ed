/**
 * Gray pictures of the OCR test set: a PDF page rasterised by `pdftoppm`, the "scanner" faults
 * (scale, rotation, blur, noise) applied in plain TypeScript with a seeded generator, PNG written
 * with `node:zlib`, JPEG and TIFF written by `pdftoppm` (the only encoders on the machine), and a
 * picture wrapped in a PDF without a text layer (what a scanner's "scan to PDF" gives).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import { PDFDocument, concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState } from '@cantoo/pdf-lib';
import type { Rng } from './random.js';

const exec = promisify(execFile);

/** An 8-bit gray picture, row-major, 0 = black, 255 = white; `dpi` is its nominal resolution. */
export interface GrayImage {
  width: number;
  height: number;
  dpi: number;
  data: Uint8Array;
}

/** Reads a binary PGM (`P5`, maxval 255) as `pdftoppm -gray` writes it. @throws Error on another format. */
export function parsePgm(bytes: Uint8Array, dpi: number): GrayImage {
  let pos = 0;
  const token = (): string => {
    for (;;) {
      while (pos < bytes.length && /\s/.test(String.fromCharCode(bytes[pos]!))) pos++;
      if (bytes[pos] === 0x23) while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
      else break;
    }
    let t = '';
    while (pos < bytes.length && !/\s/.test(String.fromCharCode(bytes[pos]!))) t += String.fromCharCode(bytes[pos++]!);
    return t;
  };
  if (token() !== 'P5') throw new Error('not a binary PGM');
  const width = Number(token());
  const height = Number(token());
  if (token() !== '255') throw new Error('PGM maxval is not 255');
  pos++; // the single whitespace after maxval
  return { width, height, dpi, data: bytes.slice(pos, pos + width * height) };
}

/** Rasterises page 1 of a PDF file in gray at `dpi` with `pdftoppm`. */
export async function rasterizePdfPage(pdfPath: string, dpi: number): Promise<GrayImage> {
  const dir = await mkdtemp(join(tmpdir(), 'cetate-ocr-set-'));
  try {
    await exec('pdftoppm', ['-r', String(dpi), '-gray', '-f', '1', '-l', '1', '-singlefile', pdfPath, join(dir, 'page')]);
    return parsePgm(await readFile(join(dir, 'page.pgm')), dpi);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Scales by `factor` (area average when shrinking, bilinear when growing); the dpi scales too. */
export function scaleImage(img: GrayImage, factor: number): GrayImage {
  const width = Math.max(1, Math.round(img.width * factor));
  const height = Math.max(1, Math.round(img.height * factor));
  const out = new Uint8Array(width * height);
  const inv = 1 / factor;
  for (let y = 0; y < height; y++) {
    const sy0 = y * inv;
    const sy1 = Math.min(img.height, (y + 1) * inv);
    for (let x = 0; x < width; x++) {
      const sx0 = x * inv;
      const sx1 = Math.min(img.width, (x + 1) * inv);
      if (factor < 1) {
        let sum = 0;
        let area = 0;
        for (let yy = Math.floor(sy0); yy < Math.ceil(sy1); yy++) {
          const wy = Math.min(yy + 1, sy1) - Math.max(yy, sy0);
          for (let xx = Math.floor(sx0); xx < Math.ceil(sx1); xx++) {
            const w = wy * (Math.min(xx + 1, sx1) - Math.max(xx, sx0));
            sum += w * img.data[yy * img.width + xx]!;
            area += w;
          }
        }
        out[y * width + x] = Math.round(sum / area);
      } else out[y * width + x] = bilinear(img, (x + 0.5) * inv - 0.5, (y + 0.5) * inv - 0.5);
    }
  }
  return { width, height, dpi: img.dpi * factor, data: out };
}

function bilinear(img: GrayImage, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= img.width || yy >= img.height ? 255 : img.data[yy * img.width + xx]!);
  const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
  const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
  return Math.round(top * (1 - fy) + bottom * fy);
}

/** Rotates by `degrees` (positive = counter-clockwise) about the centre, same size, white outside (bilinear). */
export function rotateImage(img: GrayImage, degrees: number): GrayImage {
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const { width, height, data } = img;
  const cx = width / 2;
  const cy = height / 2;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const dy = y - cy;
    for (let x = 0; x < width; x++) {
      const dx = x - cx;
      const sx = cx + dx * cos - dy * sin;
      const sy = cy + dx * sin + dy * cos;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height) {
        out[y * width + x] = 255;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * width + x0;
      const top = data[i]! + (data[i + 1]! - data[i]!) * fx;
      const bottom = data[i + width]! + (data[i + width + 1]! - data[i + width]!) * fx;
      out[y * width + x] = Math.round(top + (bottom - top) * fy);
    }
  }
  return { ...img, data: out };
}

/** Gaussian blur with standard deviation `sigma` pixels (separable kernel, radius 3σ, edges repeated). */
export function blurImage(img: GrayImage, sigma: number): GrayImage {
  const r = Math.max(1, Math.ceil(sigma * 3));
  const k = new Float32Array(2 * r + 1);
  let total = 0;
  for (let i = -r; i <= r; i++) total += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= total;
  const { width, height, data } = img;
  // one padded row / column buffer per pass, so the inner loops have no bounds checks
  const tmp = new Float32Array(width * height);
  const row = new Float32Array(width + 2 * r);
  for (let y = 0; y < height; y++) {
    const base = y * width;
    for (let x = 0; x < width + 2 * r; x++) row[x] = data[base + Math.min(width - 1, Math.max(0, x - r))]!;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let i = 0; i < k.length; i++) acc += k[i]! * row[x + i]!;
      tmp[base + x] = acc;
    }
  }
  const out = new Uint8Array(width * height);
  const col = new Float32Array(height + 2 * r);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height + 2 * r; y++) col[y] = tmp[Math.min(height - 1, Math.max(0, y - r)) * width + x]!;
    for (let y = 0; y < height; y++) {
      let acc = 0;
      for (let i = 0; i < k.length; i++) acc += k[i]! * col[y + i]!;
      out[y * width + x] = Math.round(acc);
    }
  }
  return { ...img, data: out };
}

/** Standard normal quantiles at 4096 evenly spaced probabilities: one table lookup per noisy pixel. */
const NORMAL_TABLE = (() => {
  const t = new Float32Array(4096);
  // inverse of the normal CDF by bisection on erf (computed once)
  const cdf = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
  for (let i = 0; i < t.length; i++) {
    const p = (i + 0.5) / t.length;
    let lo = -6;
    let hi = 6;
    for (let j = 0; j < 40; j++) {
      const mid = (lo + hi) / 2;
      if (cdf(mid) < p) lo = mid;
      else hi = mid;
    }
    t[i] = (lo + hi) / 2;
  }
  return t;
})();

/** Error function (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7). */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

/**
 * Scanner noise: Gaussian noise of standard deviation `sigma` gray levels on every pixel, plus
 * `specks` (fraction 0..1 of the pixels) set to black or white ("salt and pepper").
 */
export function addNoise(img: GrayImage, rng: Rng, sigma: number, specks: number): GrayImage {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) {
    const u = rng.next();
    let v: number;
    if (u < specks) v = u < specks / 2 ? 0 : 255;
    else v = img.data[i]! + sigma * NORMAL_TABLE[Math.floor(rng.next() * 4096)]!;
    out[i] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
  }
  return { ...img, data: out };
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(parts: readonly Uint8Array[]): number {
  let c = 0xffffffff;
  for (const p of parts) for (let i = 0; i < p.length; i++) c = CRC_TABLE[(c ^ p[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  const typeBytes = new TextEncoder().encode(type);
  out.set(typeBytes, 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32([typeBytes, body]));
  return out;
}

/** Encodes a gray PNG (8 bits, no filter, zlib level 6) with its resolution in a `pHYs` chunk. */
export function encodePng(img: GrayImage): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, img.width);
  v.setUint32(4, img.height);
  ihdr.set([8, 0, 0, 0, 0], 8); // bit depth 8, gray, deflate, filter 0, no interlace
  const raw = new Uint8Array((img.width + 1) * img.height);
  for (let y = 0; y < img.height; y++) raw.set(img.data.subarray(y * img.width, (y + 1) * img.width), y * (img.width + 1) + 1);
  const phys = new Uint8Array(9);
  const ppm = Math.round(img.dpi / 0.0254);
  new DataView(phys.buffer).setUint32(0, ppm);
  new DataView(phys.buffer).setUint32(4, ppm);
  phys[8] = 1; // unit: metre
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('pHYs', phys),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/**
 * A PDF of one page showing a picture over the whole page, page size from the pixel size and `dpi`;
 * no text layer. The picture is a gray image (stored Flate-compressed, as a scanner's lossless
 * "scan to PDF" does) or JPEG bytes (stored as they are, `DCTDecode`). Deterministic (no dates, no id).
 */
export async function imagePdf(image: GrayImage | { jpeg: Uint8Array; width: number; height: number; dpi: number }): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const w = (image.width * 72) / image.dpi;
  const h = (image.height * 72) / image.dpi;
  const page = doc.addPage([w, h]);
  if ('jpeg' in image) {
    page.drawImage(await doc.embedJpg(image.jpeg), { x: 0, y: 0, width: w, height: h });
  } else {
    const stream = doc.context.flateStream(image.data, {
      Type: 'XObject',
      Subtype: 'Image',
      Width: image.width,
      Height: image.height,
      ColorSpace: 'DeviceGray',
      BitsPerComponent: 8,
    });
    const name = page.node.newXObject('Im', doc.context.register(stream));
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(w, 0, 0, h, 0, 0), drawObject(name), popGraphicsState());
  }
  return doc.save({ useObjectStreams: false });
}

/**
 * Encodes the picture as a baseline JPEG of `quality` (1-100): the picture is wrapped in a PDF at its
 * own resolution and `pdftoppm -jpeg` rasterises it back pixel for pixel (no JPEG encoder in JS here).
 */
export async function encodeJpeg(img: GrayImage, quality: number): Promise<Uint8Array> {
  return await viaPdftoppm(img, ['-jpeg', '-jpegopt', `quality=${quality}`], '.jpg');
}

/** Encodes the picture as an LZW-compressed gray TIFF with `pdftoppm -tiff`. */
export async function encodeTiff(img: GrayImage): Promise<Uint8Array> {
  return await viaPdftoppm(img, ['-tiff', '-tiffcompression', 'lzw'], '.tif');
}

async function viaPdftoppm(img: GrayImage, format: readonly string[], ext: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'cetate-ocr-set-'));
  try {
    const pdf = join(dir, 'in.pdf');
    await writeFile(pdf, await imagePdf(img));
    await exec('pdftoppm', ['-r', String(img.dpi), '-gray', ...format, '-singlefile', pdf, join(dir, 'out')]);
    const file = (await readdir(dir)).find((f) => f.startsWith('out') && f.endsWith(ext));
    if (!file) throw new Error(`pdftoppm wrote no ${ext} file`);
    return await readFile(join(dir, file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
