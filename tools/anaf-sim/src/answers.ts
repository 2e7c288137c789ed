/**
 * Builders of ANAF answer bodies, shaped after ANAF-EFACTURA.md (and the real answers quoted there).
 */
import { escapeXml } from '@cetate/invoicing-domain';

const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Namespace of the upload answer (ANAF upload API). */
export const NS_UPLOAD = 'mfp:anaf:dgti:spv:respUploadFisier:v1';
/** Namespace of the stareMesaj answer (ANAF stareMesaj API). */
export const NS_STARE = 'mfp:anaf:dgti:efactura:stareMesajFactura:v1';
/** Namespace of the error report in a rejected download (ANAF spells it "Factuta"). */
export const NS_ERORI = 'mfp:anaf:dgti:efactura:mesajEroriFactuta:v1';

/** Upload accepted: `ExecutionStatus="0"` with `index_incarcare` (ANAF upload API). */
export function uploadOkXml(dateResponse: string, index: string): string {
  return `${XML_DECL}<header xmlns="${NS_UPLOAD}" dateResponse="${dateResponse}" ExecutionStatus="0" index_incarcare="${index}"/>\n`;
}

/** Upload refused: `ExecutionStatus="1"` with `Errors` children, no index (ANAF upload API). */
export function uploadErrorXml(dateResponse: string, messages: string[]): string {
  const errs = messages.map((m) => `    <Errors errorMessage="${escapeXml(m)}"/>\n`).join('');
  return `${XML_DECL}<header xmlns="${NS_UPLOAD}" dateResponse="${dateResponse}" ExecutionStatus="1">\n${errs}</header>\n`;
}

/** stareMesaj answer with `stare` and optional `id_descarcare` (ANAF stareMesaj API). */
export function stareXml(stare: string, idDescarcare?: string): string {
  const id = idDescarcare ? ` id_descarcare="${idDescarcare}"` : '';
  return `${XML_DECL}<header xmlns="${NS_STARE}" stare="${escapeXml(stare)}"${id}/>\n`;
}

/** stareMesaj Errors variant (unknown id, non-numeric id, over limit). */
export function stareErrorXml(messages: string[]): string {
  const errs = messages.map((m) => `    <Errors errorMessage="${escapeXml(m)}"/>\n`).join('');
  return `${XML_DECL}<header xmlns="${NS_STARE}">\n${errs}</header>\n`;
}

/** Error report placed in a rejected download (`Index_incarcare`, `Cif_emitent`, `Error` children). */
export function errorReportXml(index: string, cifEmitent: string, messages: string[]): string {
  const errs = messages.map((m) => `    <Error errorMessage="${escapeXml(m)}"/>\n`).join('');
  return `${XML_DECL}<header xmlns="${NS_ERORI}" Index_incarcare="${index}" Cif_emitent="${escapeXml(cifEmitent)}">\n${errs}</header>\n`;
}

/** Spring-Boot-style JSON error body ANAF's gateway uses for HTTP 4xx/5xx. */
export function springError(status: number, error: string, message: string, path: string): string {
  return JSON.stringify({ timestamp: new Date().toISOString(), status, error, message, path });
}
