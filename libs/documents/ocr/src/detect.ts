/**
 * File type by magic bytes (never by the name or the declared MIME type, which the uploader chooses).
 * Signatures: PDF `%PDF-` (ISO 32000-1 §7.5.2; readers accept it within the first 1024 bytes),
 * PNG `89 50 4E 47 0D 0A 1A 0A` (RFC 2083 §3.1), JPEG `FF D8 FF` (SOI marker then another marker,
 * ITU T.81 Annex B), TIFF `49 49 2A 00` (little-endian) or `4D 4D 00 2A` (big-endian) (TIFF 6.0 §2).
 */

/** A document type the engine reads. */
export type DocumentType = 'pdf' | 'png' | 'jpeg' | 'tiff';

/** MIME type of each {@link DocumentType}. */
export const DOCUMENT_MIME_TYPES: Readonly<Record<DocumentType, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
};

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

/**
 * The type of a document from its first bytes, or undefined when it is none of the supported types
 * (including an empty input).
 * @example detectDocumentType(new TextEncoder().encode('%PDF-1.7\n...')) === 'pdf'
 */
export function detectDocumentType(bytes: Uint8Array): DocumentType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  const head = Math.min(bytes.length - PDF.length, 1024 - PDF.length);
  for (let i = 0; i <= head; i++) if (bytes[i] === 0x25 && startsWith(bytes, PDF, i)) return 'pdf';
  return undefined;
}

/** Pixel size of a picture (the largest page of a TIFF). */
export interface PixelSize {
  width: number;
  height: number;
}

/**
 * Width and height in pixels of a PNG (IHDR, RFC 2083 §4.1.1), JPEG (the first SOFn frame header,
 * ITU T.81 B.2.2) or TIFF (tags ImageWidth 256 / ImageLength 257 of every directory, TIFF 6.0 §8; the
 * largest area wins), read from the header only, before anything decodes the picture: a small file can
 * announce a huge picture (a "decompression bomb").
 * @returns undefined when the header cannot be read (the decoder will then refuse the file).
 */
export function pictureSize(bytes: Uint8Array): PixelSize | undefined {
  const type = detectDocumentType(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (type === 'png') return bytes.length >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : undefined;
  if (type === 'jpeg') {
    let pos = 2;
    while (pos + 4 <= bytes.length) {
      if (bytes[pos] !== 0xff) return undefined;
      const marker = bytes[pos + 1]!;
      if (marker === 0xff) {
        pos++; // fill byte
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        pos += 2; // markers without a length
        continue;
      }
      if (marker === 0xda || marker === 0xd9) return undefined; // scan data or end before any frame header
      const length = view.getUint16(pos + 2);
      const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isSof) return pos + 9 <= bytes.length ? { height: view.getUint16(pos + 5), width: view.getUint16(pos + 7) } : undefined;
      pos += 2 + length;
    }
    return undefined;
  }
  if (type === 'tiff') {
    const le = bytes[0] === 0x49;
    let offset = view.getUint32(4, le);
    const seen = new Set<number>();
    let best: PixelSize | undefined;
    while (offset !== 0 && offset + 2 <= bytes.length && !seen.has(offset)) {
      seen.add(offset);
      const entries = view.getUint16(offset, le);
      let width = 0;
      let height = 0;
      for (let i = 0; i < entries; i++) {
        const at = offset + 2 + i * 12;
        if (at + 12 > bytes.length) break;
        const tag = view.getUint16(at, le);
        if (tag !== 256 && tag !== 257) continue;
        const kind = view.getUint16(at + 2, le);
        const value = kind === 3 ? view.getUint16(at + 8, le) : view.getUint32(at + 8, le);
        if (tag === 256) width = value;
        else height = value;
      }
      if (width * height > (best ? best.width * best.height : -1)) best = { width, height };
      const next = offset + 2 + entries * 12;
      if (next + 4 > bytes.length) break;
      offset = view.getUint32(next, le);
    }
    return best;
  }
  return undefined;
}

/**
 * Number of pages (IFDs) of a TIFF file, following the chain of image file directories; stops at a
 * loop or an offset outside the file. @returns 0 when the header is not TIFF.
 */
export function tiffPageCount(bytes: Uint8Array): number {
  if (detectDocumentType(bytes) !== 'tiff') return 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49;
  let offset = view.getUint32(4, le);
  const seen = new Set<number>();
  let pages = 0;
  while (offset !== 0 && offset + 2 <= bytes.length && !seen.has(offset)) {
    seen.add(offset);
    pages++;
    const entries = view.getUint16(offset, le);
    const next = offset + 2 + entries * 12;
    if (next + 4 > bytes.length) break;
    offset = view.getUint32(next, le);
  }
  return pages;
}
