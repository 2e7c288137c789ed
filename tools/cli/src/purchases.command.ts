import { parseArgs } from 'node:util';
import type { PurchaseInvoiceView } from '@cetate/documents-contracts';
import { EXIT, UsageError, type CliIo } from './cli-io.js';
import { describeError } from './efactura-send.command.js';
import { openTenantApi, TENANT_SLUG_RE } from './tenant-api.js';

/** Usage of `cetate purchases list`. */
export const PURCHASES_USAGE = `usage: cetate purchases list --tenant SLUG [--supplier CUI] [--json]

Lists the tenant's purchase invoices (supplier bills received through ANAF e-Factura or read from uploaded documents)
through the running documents-api (GET /v1/purchase-invoices), newest first, every page.

  --tenant SLUG     tenant (= Keycloak realm); required
  --supplier CUI    only this supplier (digits, RO optional)
  --json            one JSON object per line: PurchaseListEntry (tools/cli/src/purchases.command.ts)
  -h, --help        this text

output: per invoice  ISSUE-DATE  SUPPLIER-CUI  NUMBER  PAYABLE CURRENCY  SOURCE  [duplicate of ID]
environment: DOCUMENTS_API_URL (default http://127.0.0.1:3300), KEYCLOAK_URL, CETATE_CLIENT_ID / CETATE_CLIENT_SECRET
exit: 0 listed, 1 documents-api unreachable or refused, 2 usage error`;

/**
 * One line of `purchases list --json` (issue 10 acceptance): amounts are decimal strings, dates `YYYY-MM-DD`,
 * `supplierCif` digits without `RO`; the ANAF fields are null for an invoice read from a document.
 */
export interface PurchaseListEntry {
  id: string;
  source: 'ocr' | 'efactura';
  status: 'draft' | 'confirmed';
  documentType: 'Invoice' | 'CreditNote';
  /** BT-31/BT-32 digits. */
  supplierCif: string;
  /** BT-27. */
  supplierName: string | null;
  /** BT-1. */
  number: string;
  /** BT-2. */
  issueDate: string;
  /** BT-9. */
  dueDate: string | null;
  /** BT-5. */
  currency: string;
  /** BT-109, BT-110, BT-115. */
  netAmount: string | null;
  vatAmount: string | null;
  payableAmount: string | null;
  /** BG-23: BT-119 rate, BT-116 base, BT-117 amount. */
  vat: Array<{ rate: string; base: string; amount: string }>;
  lines: number;
  /** ANAF `id_solicitare`, `id` (descarcare), and the archived signed ZIP. */
  idSolicitare: string | null;
  idDescarcare: string | null;
  zipObjectKey: string | null;
  signatureVerified: boolean | null;
  /** Set when this row is a flagged duplicate of another (never counted twice). */
  duplicateOf: string | null;
}

/** The {@link PurchaseListEntry} of a documents-api view. */
export function purchaseListEntry(p: PurchaseInvoiceView): PurchaseListEntry {
  return {
    id: p.id,
    source: p.source,
    status: p.status,
    documentType: p.documentType,
    supplierCif: p.supplier.cif,
    supplierName: p.supplier.name,
    number: p.number,
    issueDate: p.issueDate,
    dueDate: p.dueDate,
    currency: p.currency,
    netAmount: p.totals.net,
    vatAmount: p.totals.vat,
    payableAmount: p.totals.payable,
    vat: p.vat.map((v) => ({ rate: v.rate, base: v.base, amount: v.amount })),
    lines: p.lines.length,
    idSolicitare: p.efactura?.idSolicitare ?? null,
    idDescarcare: p.efactura?.idDescarcare ?? null,
    zipObjectKey: p.efactura?.zipObjectKey ?? null,
    signatureVerified: p.efactura?.signatureVerified ?? null,
    duplicateOf: p.duplicateOf,
  };
}

/**
 * `cetate purchases list --tenant SLUG [--supplier CUI] [--json]` (issue 10): every purchase invoice of the tenant,
 * read page by page (200 a page) from documents-api.
 * @returns 0 when listed, 1 when documents-api cannot be reached or refuses. @throws UsageError on a bad command line.
 */
export async function runPurchases(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h') {
    io.out(PURCHASES_USAGE);
    return EXIT.OK;
  }
  if (sub !== 'list') throw new UsageError(sub === undefined ? 'purchases needs a sub-command (list)' : `unknown purchases sub-command "${sub}"`);
  let values;
  try {
    ({ values } = parseArgs({ args: rest, options: { tenant: { type: 'string' }, supplier: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    io.out(PURCHASES_USAGE);
    return EXIT.OK;
  }
  if (!values.tenant) throw new UsageError('purchases list needs --tenant SLUG');
  if (!TENANT_SLUG_RE.test(values.tenant)) throw new UsageError(`--tenant must be a tenant slug, got "${values.tenant}"`);
  if (values.supplier !== undefined && !/^(RO)?\d{2,10}$/i.test(values.supplier.trim())) throw new UsageError(`--supplier must be a CUI, got "${values.supplier}"`);
  const api = await openTenantApi(values.tenant, env, io, ['documents']);
  if (!api) return EXIT.FAILED;
  const supplier = values.supplier ? `&supplierCif=${encodeURIComponent(values.supplier.trim())}` : '';
  try {
    for (let offset = 0; ; ) {
      const page = await api.json<{ items: PurchaseInvoiceView[]; total: number }>(api.urls.documents, 'GET', `/v1/purchase-invoices?limit=200&offset=${offset}${supplier}`);
      for (const p of page.items) {
        const e = purchaseListEntry(p);
        io.out(
          values.json
            ? JSON.stringify(e)
            : `${e.issueDate}  ${e.supplierCif.padEnd(10)}  ${e.number.padEnd(16)}  ${(e.payableAmount ?? '?').padStart(12)} ${e.currency}  ${e.source}${e.duplicateOf ? `  duplicate of ${e.duplicateOf}` : ''}`,
        );
      }
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) break;
    }
  } catch (err) {
    io.err(`purchases not listed: ${describeError(err)}`);
    return EXIT.FAILED;
  }
  return EXIT.OK;
}
