/**
 * Minimal, safe XML writer used by the UBL builder: every text and attribute value goes through
 * `escapeXml`, element names are fixed strings of the builder, and optional elements whose value is
 * `undefined` are simply not written.
 */

/** Whether a code point is allowed by XML 1.0 §2.2 (Char production). */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Removes characters XML 1.0 does not allow (C0 controls, lone surrogates, U+FFFE/U+FFFF). */
function stripInvalidXmlChars(value: string): string {
  let out = '';
  for (const ch of value) if (isXmlChar(ch.codePointAt(0)!)) out += ch;
  return out;
}

/**
 * Escapes text for element content and double-quoted attribute values: `& < > " '` become entities,
 * a carriage return becomes `&#13;` (a parser turns a literal CR into LF, XML 1.0 §2.11, so "\r\n" typed in a
 * note would not come back), characters not allowed in XML 1.0 are dropped. Pure; never throws.
 */
export function escapeXml(value: string): string {
  return stripInvalidXmlChars(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
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
