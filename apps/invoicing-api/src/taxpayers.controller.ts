import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { AnafError, TaxpayerRequestError } from '@cetate/anaf-client';
import { TaxpayerLookup, toBuyerView, type TaxpayerBuyerView } from '@cetate/invoicing-efactura';
import { Roles } from '@cetate/platform-identity';
import { DomainError } from '@cetate/platform-observability';
import { isValidCif } from '@cetate/platform-tenancy';

/** 400: the CUI fails the Romanian check digit (or is not 2..10 digits, `RO` prefix allowed). Nothing was asked of ANAF. */
export class InvalidCuiError extends DomainError {
  constructor(cui: string) {
    super('INVALID_CUI', `"${cui}" is not a valid Romanian CUI (2 to 10 digits, last one the check digit; an RO prefix is allowed).`, {
      status: 400,
      errors: [{ path: 'cui', message: 'fails the CUI check digit' }],
    });
  }
}

/** 400: the `date` query parameter is not a calendar day `YYYY-MM-DD`. */
export class InvalidLookupDateError extends DomainError {
  constructor(date: string) {
    super('INVALID_DATE', `date "${date}" is not a day YYYY-MM-DD.`, { status: 400, errors: [{ path: 'date', message: 'expected YYYY-MM-DD' }] });
  }
}

/** 404: ANAF's taxpayer lookup lists the CUI in `notFound` (no taxpayer with that CUI on that day). */
export class TaxpayerNotFoundError extends DomainError {
  constructor(cui: string, date: string) {
    super('TAXPAYER_NOT_FOUND', `ANAF knows no taxpayer with CUI ${cui} on ${date}.`, { status: 404 });
  }
}

/**
 * 503: ANAF's taxpayer lookup did not answer usefully (timeout, connection, 5xx, 429 after the retries, an HTML page
 * from its firewall, its error form); the ANAF error (`code` `ANAF_TIMEOUT`, `ANAF_HTTP`, ...) is the cause. Try later.
 */
export class TaxpayerLookupUnavailableError extends DomainError {
  constructor(cause: AnafError) {
    super('ANAF_UNAVAILABLE', `ANAF's taxpayer lookup is unavailable (${cause.code}); try again in a minute.`, { status: 503, title: 'ANAF unavailable', cause });
  }
}

const DAY_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * Taxpayer lookup for filling the buyer of a new invoice from its CUI: ANAF's public register `PlatitorTvaRest/v9/tva`
 * (ANAF-EFACTURA.md "Taxpayer lookup (v9)") through {@link TaxpayerLookup} (24 h cache in the platform database, 1 call
 * per second across processes). The data is public and the same for every tenant; any user of a tenant may ask.
 * Errors are RFC 9457 problem+json with `traceId`.
 */
@Controller('v1/taxpayers')
export class TaxpayersController {
  constructor(@Inject(TaxpayerLookup) private readonly lookup: TaxpayerLookup) {}

  /**
   * `GET /v1/taxpayers/:cui[?date=YYYY-MM-DD]` (`accountant`, `user`, `tenant-admin`): the taxpayer as a buyer (EN 16931
   * BG-7), `TaxpayerBuyerView` `{ cui, name, vatId ('RO'+cui when VAT registered, else null: BT-48), tradeRegister
   * (nrRegCom), address: { street BT-50, city BT-52 (SECTOR1..6 in Bucharest), county BT-54 (ISO 3166-2:RO, RO-B for
   * Bucharest), postalCode BT-53, country 'RO' }, vatRegistered (scpTVA), inactive (statusInactivi), eFacturaRegistered
   * (statusRO_e_Factura), checkedAt (ISO 8601), source: 'cache'|'anaf' }` as ANAF knows it on `date` (default today,
   * Europe/Bucharest). `:cui` may carry an `RO` prefix.
   *
   * Errors: 400 `INVALID_CUI` (fails the check digit: ANAF is not asked), 400 `INVALID_DATE`; 404 `TAXPAYER_NOT_FOUND`
   * (ANAF's `notFound`, also cached 24 h); 503 `ANAF_UNAVAILABLE` (ANAF unreachable or refusing); 401/403 as every
   * tenant endpoint.
   */
  @Get(':cui')
  @Roles('accountant', 'user', 'tenant-admin')
  async get(@Param('cui') cui: string, @Query('date') date?: string): Promise<TaxpayerBuyerView> {
    if (!isValidCif(cui)) throw new InvalidCuiError(cui);
    if (date !== undefined && (!DAY_RE.test(date) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date)) throw new InvalidLookupDateError(date);
    let result;
    try {
      result = await this.lookup.get(cui, date);
    } catch (err) {
      if (err instanceof TaxpayerRequestError) throw new InvalidCuiError(cui);
      if (err instanceof AnafError) throw new TaxpayerLookupUnavailableError(err);
      throw err;
    }
    if (!result.found) throw new TaxpayerNotFoundError(result.cui, result.date);
    return toBuyerView(result);
  }
}
