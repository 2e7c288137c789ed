import { describe, expect, it } from 'vitest';
import { detectDocumentType, pictureSize, tiffPageCount } from './detect.js';

const bytes = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => new TextEncoder().encode(s);

/** A minimal TIFF header + `pages` image file directories with no entries, chained (little or big endian). */
function tiff(pages: number, le = true, loop = false): Uint8Array {
  const buf = new Uint8Array(8 + pages * 6);
  const v = new DataView(buf.buffer);
  buf.set(le ? [0x49, 0x49, 0x2a, 0x00] : [0x4d, 0x4d, 0x00, 0x2a]);
  v.setUint32(4, 8, le);
  for (let i = 0; i < pages; i++) {
    const at = 8 + i * 6;
    v.setUint16(at, 0, le);
    v.setUint32(at + 2, i === pages - 1 ? (loop ? 8 : 0) : at + 6, le);
  }
  return buf;
}

describe('detectDocumentType (magic bytes)', () => {
  it('recognises PDF, PNG, JPEG and both TIFF byte orders', () => {
    expect(detectDocumentType(ascii('%PDF-1.7\n%âãÏÓ\n'))).toBe('pdf');
    expect(detectDocumentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13))).toBe('png');
    expect(detectDocumentType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16))).toBe('jpeg');
    expect(detectDocumentType(tiff(1, true))).toBe('tiff');
    expect(detectDocumentType(tiff(1, false))).toBe('tiff');
  });

  it('accepts a PDF header after leading bytes within the first 1024, not later', () => {
    expect(detectDocumentType(ascii(' '.repeat(100) + '%PDF-1.4'))).toBe('pdf');
    expect(detectDocumentType(ascii(' '.repeat(1020) + '%PDF-1.4'))).toBeUndefined();
  });

  it('refuses what is none of them, whatever its name would say', () => {
    expect(detectDocumentType(new Uint8Array(0))).toBeUndefined();
    expect(detectDocumentType(ascii('PK\u0003\u0004 a zip'))).toBeUndefined();
    expect(detectDocumentType(ascii('<?xml version="1.0"?><Invoice/>'))).toBeUndefined();
    expect(detectDocumentType(ascii('%PD'))).toBeUndefined();
    expect(detectDocumentType(bytes(0x89, 0x50, 0x4e, 0x47))).toBeUndefined(); // a truncated PNG signature
    expect(detectDocumentType(bytes(0x47, 0x49, 0x46, 0x38, 0x39, 0x61))).toBeUndefined(); // GIF89a
  });
});

describe('tiffPageCount', () => {
  it('follows the directory chain in both byte orders', () => {
    expect(tiffPageCount(tiff(1))).toBe(1);
    expect(tiffPageCount(tiff(3))).toBe(3);
    expect(tiffPageCount(tiff(4, false))).toBe(4);
  });

  it('stops at a loop and at an offset outside the file; 0 for a file that is not TIFF', () => {
    expect(tiffPageCount(tiff(3, true, true))).toBe(3);
    const cut = tiff(2).slice(0, 12);
    expect(tiffPageCount(cut)).toBe(1);
    expect(tiffPageCount(ascii('%PDF-1.7'))).toBe(0);
  });
});

describe('pictureSize (headers only)', () => {
  it('PNG: IHDR width and height', () => {
    const png = new Uint8Array(33);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(png.buffer).setUint32(16, 2481);
    new DataView(png.buffer).setUint32(20, 3508);
    expect(pictureSize(png)).toEqual({ width: 2481, height: 3508 });
    expect(pictureSize(png.slice(0, 20))).toBeUndefined();
  });

  it('JPEG: the first frame header after other segments and fill bytes', () => {
    const jpeg = bytes(
      0xff, 0xd8, // SOI
      0xff, 0xe0, 0x00, 0x06, 0x4a, 0x46, 0x49, 0x46, // APP0, length 6
      0xff, 0xff, 0xc2, 0x00, 0x0b, 0x08, 0x01, 0x00, 0x02, 0x00, 0x01, 0x01, 0x11, 0x00, // fill byte, SOF2 256 × 512
    );
    expect(pictureSize(jpeg)).toEqual({ width: 512, height: 256 });
    expect(pictureSize(bytes(0xff, 0xd8, 0xff, 0xda, 0x00, 0x02))).toBeUndefined(); // scan before any frame header
  });

  it('TIFF: ImageWidth / ImageLength (SHORT or LONG, either byte order), the largest directory', () => {
    for (const le of [true, false]) {
      const buf = new Uint8Array(8 + 2 + 2 * 12 + 4);
      const v = new DataView(buf.buffer);
      buf.set(le ? [0x49, 0x49, 0x2a, 0x00] : [0x4d, 0x4d, 0x00, 0x2a]);
      v.setUint32(4, 8, le);
      v.setUint16(8, 2, le);
      v.setUint16(10, 256, le); // ImageWidth SHORT 3000
      v.setUint16(12, 3, le);
      v.setUint32(14, 1, le);
      v.setUint16(18, 3000, le);
      v.setUint16(22, 257, le); // ImageLength LONG 70000
      v.setUint16(24, 4, le);
      v.setUint32(26, 1, le);
      v.setUint32(30, 70000, le);
      v.setUint32(34, 0, le);
      expect(pictureSize(buf)).toEqual({ width: 3000, height: 70000 });
    }
  });
});
