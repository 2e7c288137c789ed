import type { DocumentMimeType } from '@cetate/documents-contracts';

/** Largest upload, bytes: 20 MiB (issue 9 "up to 20 MB"; the reader's own limit is the same). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/**
 * The type of a file from its first bytes (the declared type is not trusted), or undefined for anything else:
 * - PDF: `%PDF-` (ISO 32000-1 §7.5.2; readers accept it within the first 1024 bytes, so leading junk is allowed there);
 * - PNG: the 8-byte signature `89 50 4E 47 0D 0A 1A 0A` (PNG spec §5.2);
 * - JPEG: `FF D8 FF` (SOI marker followed by another marker, ITU T.81 B.1.1.2);
 * - TIFF: `II*\0` (little-endian) or `MM\0*` (big-endian) (TIFF 6.0 §2), BigTIFF's `II+\0` / `MM\0+` too.
 */
export function detectDocumentMime(b: Uint8Array): DocumentMimeType | undefined {
  const at = (i: number, ...xs: number[]) => xs.every((x, k) => b[i + k] === x);
  if (b.length >= 8 && at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (b.length >= 3 && at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (b.length >= 4 && (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a) || at(0, 0x49, 0x49, 0x2b, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2b))) return 'image/tiff';
  const head = Buffer.from(b.subarray(0, Math.min(b.length, 1024))).toString('latin1');
  if (head.includes('%PDF-')) return 'application/pdf';
  return undefined;
}

/** File name extension of a type. */
export function extensionOf(mime: DocumentMimeType): string {
  return { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg', 'image/tiff': 'tif' }[mime];
}

/**
 * The file name the client gave, for display: `filename` query parameter, else `Content-Disposition`'s `filename*`
 * (RFC 6266/8187, UTF-8) or `filename`; reduced to its last path segment, control characters removed, at most 200
 * characters; `fallback` when none.
 */
export function uploadFilename(query: string | undefined, contentDisposition: string | undefined, fallback: string): string {
  let name = query;
  if (!name && contentDisposition) {
    const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(contentDisposition);
    const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(contentDisposition);
    try {
      name = star ? decodeURIComponent(star[1]!.trim()) : (plain?.[1] ?? plain?.[2])?.trim();
    } catch {
      name = (plain?.[1] ?? plain?.[2])?.trim();
    }
  }
  // eslint-disable-next-line no-control-regex
  const clean = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || fallback;
}
