/**
 * Buyer messages (`upload?standard=RASP`): the buyer's message to the seller about an invoice it
 * received. ANAF publishes no schema; the shape below is the one open-source clients send and read
 * (printesoi/e-factura-go `RaspMessage`, danielgp/eFactura, andalisolutions/anaf-php): a single
 * `header` in namespace `mfp:anaf:dgti:spv:reqMesaj:v1` with attributes `index_incarcare` (the
 * invoice's upload index) and `message` (free text). See the README for the sources.
 */
import { attr, escapeXml } from '@cetate/invoicing-domain';
import type { XDocument as Document } from '@cetate/invoicing-domain';

/** Namespace of a RASP buyer message. */
export const NS_RASP = 'mfp:anaf:dgti:spv:reqMesaj:v1';

/** `tip` of the buyer-message list entries (filter `R`): as seen by the seller, and by the buyer who sent it. */
export const TIP_MESAJ_PRIMIT = 'MESAJ CUMPARATOR PRIMIT';
export const TIP_MESAJ_TRANSMIS = 'MESAJ CUMPARATOR TRANSMIS';

/** A parsed RASP message. */
export interface RaspMessage {
  /** Upload index (`index_incarcare`, ANAF `id_solicitare`) of the invoice the message is about. */
  indexIncarcare: string;
  /** Free text of the buyer (acceptance, refusal, ...). */
  message: string;
}

/** The XML of a RASP message (`<header xmlns="mfp:anaf:dgti:spv:reqMesaj:v1" index_incarcare message/>`). */
export function raspXml(m: RaspMessage): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<header xmlns="${NS_RASP}" index_incarcare="${escapeXml(m.indexIncarcare)}" message="${escapeXml(m.message)}"/>\n`;
}

/**
 * Reads a RASP message from a parsed upload.
 * @returns the message, or the error text (ANAF style `E: ...`) when the root is not `header` in
 *   {@link NS_RASP}, `index_incarcare` is not a number, or `message` is missing/empty
 */
export function readRasp(document: Document): RaspMessage | string {
  const root = document.documentElement;
  if (!root || (root.localName ?? root.nodeName) !== 'header' || root.namespaceURI !== NS_RASP) {
    return `E: eroare schema: mesajul RASP trebuie sa fie elementul header din ${NS_RASP}`;
  }
  const indexIncarcare = attr(root, 'index_incarcare') ?? '';
  const message = attr(root, 'message') ?? '';
  if (!/^\d+$/.test(indexIncarcare)) return `E: eroare schema: index_incarcare=${indexIncarcare} nu este un numar`;
  if (message.trim() === '') return 'E: eroare schema: atributul message este obligatoriu';
  return { indexIncarcare, message };
}
