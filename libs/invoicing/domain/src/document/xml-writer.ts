/**
 * Minimal, safe XML writer used by the UBL builder: every text and attribute value goes through
 * `escapeXml`, element names are fixed strings of the builder, and optional elements whose value is
 * `undefined` are simply not written.
 */

/** XML 1.0 characters that may appear in a document (others, e.g. U+0000..U+0008, are removed). */
const INVALID_XML_CHARS = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Escapes text for element content and double-quoted attribute values: `& < > " '` become entities,
 * characters not allowed in XML 1.0 are dropped. Pure; never throws.
 */
export function escapeXml(value: string): string {
  return value
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A node of the writer: a ready XML fragment, or nothing. */
export type XmlFragment = string | undefined | null | false;

/**
 * Writes `<name attrs>text</name>`; returns `undefined` when `text` is `undefined` so that optional
 * UBL elements disappear. Attribute values that are `undefined` are omitted.
 */
export function leaf(name: string, text: string | undefined, attrs: Record<string, string | undefined> = {}): string | undefined {
  if (text === undefined) return undefined;
  return `<${name}${attributes(attrs)}>${escapeXml(text)}</${name}>`;
}

/** Writes `<name attrs>children</name>`; returns `undefined` when no child produced output. */
export function node(name: string, children: XmlFragment[], attrs: Record<string, string | undefined> = {}): string | undefined {
  const content = children.filter((c): c is string => typeof c === 'string' && c.length > 0);
  if (content.length === 0) return undefined;
  return `<${name}${attributes(attrs)}>${content.join('')}</${name}>`;
}

function attributes(attrs: Record<string, string | undefined>): string {
  return Object.entries(attrs)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
}
