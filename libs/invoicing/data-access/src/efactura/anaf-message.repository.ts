import type { Queryable } from './queryable.js';

/** An ANAF list message reconciliation downloaded and inspected. */
export interface InspectedAnafMessage {
  idDescarcare: string;
  idSolicitare: string;
  cif: string;
  /** `FACTURA TRIMISA`, `ERORI FACTURA`, ... */
  tip: string;
  /** SHA-256 (hex) of the invoice XML in its ZIP; null when the ZIP holds none (an error report). */
  invoiceSha256: string | null;
}

/**
 * SQL of `efactura.anaf_message`: what reconciliation learned from each ANAF message it downloaded, so that a message
 * that turns out not to be ours (another program's or a manual upload for the same CIF) costs one `descarcare` once,
 * not one per status-sync run (ANAF allows 10 a day per message).
 */
export class AnafMessageRepository {
  /** The inspected messages among `idsDescarcare`, by download id. */
  async byDownloadIds(q: Queryable, idsDescarcare: string[]): Promise<Map<string, InspectedAnafMessage>> {
    if (!idsDescarcare.length) return new Map();
    const rows: InspectedAnafMessage[] = await q.query(
      `SELECT id_descarcare AS "idDescarcare", id_solicitare AS "idSolicitare", cif, tip, invoice_sha256 AS "invoiceSha256"
       FROM efactura.anaf_message WHERE id_descarcare = ANY($1::text[])`,
      [idsDescarcare],
    );
    return new Map(rows.map((r) => [r.idDescarcare, r]));
  }

  /** Records an inspected message (idempotent). */
  async record(q: Queryable, m: InspectedAnafMessage): Promise<void> {
    await q.query(
      `INSERT INTO efactura.anaf_message (id_descarcare, id_solicitare, cif, tip, invoice_sha256) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id_descarcare) DO NOTHING`,
      [m.idDescarcare, m.idSolicitare, m.cif, m.tip, m.invoiceSha256],
    );
  }
}
