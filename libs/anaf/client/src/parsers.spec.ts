import { describe, expect, it } from 'vitest';
import {
  AnafProtocolError,
  AnafQuotaExceededError,
  AnafRequestRejectedError,
  AnafUploadRefusedError,
  quotaLimitIn,
} from './errors.js';
import {
  extractRuleId,
  isErrorReport,
  parseErrorReport,
  parseListaResponse,
  parseStareMesajResponse,
  parseUploadResponse,
  parseValidareResponse,
  throwDescarcareFailure,
} from './parsers.js';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('parseUploadResponse (ANAF upload API)', () => {
  it('reads index_incarcare and dateResponse of ExecutionStatus=0', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<header xmlns="mfp:anaf:dgti:spv:respUploadFisier:v1" dateResponse="202108051140" ExecutionStatus="0" index_incarcare="3828"/>`;
    expect(parseUploadResponse(xml)).toEqual({ indexIncarcare: '3828', dateResponse: '202108051140' });
  });

  it('ExecutionStatus=1 → AnafUploadRefusedError with every Errors message', () => {
    const xml = `<header xmlns="mfp:anaf:dgti:spv:respUploadFisier:v1" dateResponse="202108051140" ExecutionStatus="1">
  <Errors errorMessage="CIF introdus= RO1 nu este un numar"/><Errors errorMessage="Marime fisier transmis mai mare de 10 MB."/></header>`;
    const e = caught(() => parseUploadResponse(xml)) as AnafUploadRefusedError;
    expect(e).toBeInstanceOf(AnafUploadRefusedError);
    expect(e.code).toBe('ANAF_UPLOAD_REFUSED');
    expect(e.messages).toHaveLength(2);
  });

  it('over-limit Errors → AnafQuotaExceededError with the limit', () => {
    const xml = `<header xmlns="mfp:anaf:dgti:spv:respUploadFisier:v1" ExecutionStatus="1"><Errors errorMessage="S-au facut deja 1000 incarcari de fisiere in cursul zilei"/></header>`;
    const e = caught(() => parseUploadResponse(xml)) as AnafQuotaExceededError;
    expect(e).toBeInstanceOf(AnafQuotaExceededError);
    expect(e.limit).toBe(1000);
  });

  it('empty body, HTML, ok-without-index and JSON are protocol errors (or mapped JSON errors)', () => {
    expect(caught(() => parseUploadResponse(''))).toBeInstanceOf(AnafProtocolError);
    expect(caught(() => parseUploadResponse('<html><body>Gateway'))).toBeInstanceOf(AnafProtocolError);
    expect(caught(() => parseUploadResponse('<header ExecutionStatus="0"/>'))).toBeInstanceOf(AnafProtocolError);
    expect(caught(() => parseUploadResponse('{"eroare":"Nu aveti drept in SPV pentru CIF=1","titlu":"x"}'))).toBeInstanceOf(AnafRequestRejectedError);
  });
});

describe('parseStareMesajResponse (ANAF stareMesaj API)', () => {
  const ns = 'mfp:anaf:dgti:efactura:stareMesajFactura:v1';
  it('reads the four states', () => {
    expect(parseStareMesajResponse(`<header xmlns="${ns}" stare="ok" id_descarcare="1234"/>`)).toEqual({ stare: 'ok', idDescarcare: '1234' });
    expect(parseStareMesajResponse(`<header xmlns="${ns}" stare="nok" id_descarcare="9"/>`)).toEqual({ stare: 'nok', idDescarcare: '9' });
    expect(parseStareMesajResponse(`<header xmlns="${ns}" stare="in prelucrare"/>`)).toEqual({ stare: 'in prelucrare' });
    expect(parseStareMesajResponse(`<header xmlns="${ns}" stare="XML cu erori nepreluat de sistem"/>`)).toEqual({ stare: 'XML cu erori nepreluat de sistem' });
  });
  it('Errors: over limit → quota error, others → rejected', () => {
    const q = caught(() => parseStareMesajResponse(`<header xmlns="${ns}"><Errors errorMessage="S-au facut deja 20 descarcari de mesaj in cursul zilei"/></header>`, '55'));
    expect(q).toBeInstanceOf(AnafQuotaExceededError);
    expect((q as AnafQuotaExceededError).key).toBe('55');
    const r = caught(() => parseStareMesajResponse(`<header xmlns="${ns}"><Errors errorMessage="Nu exista factura cu id_incarcare= 55"/></header>`));
    expect(r).toBeInstanceOf(AnafRequestRejectedError);
  });
  it('unknown stare or ok without id → protocol error', () => {
    expect(caught(() => parseStareMesajResponse(`<header xmlns="${ns}" stare="poate"/>`))).toBeInstanceOf(AnafProtocolError);
    expect(caught(() => parseStareMesajResponse(`<header xmlns="${ns}" stare="ok"/>`))).toBeInstanceOf(AnafProtocolError);
    expect(caught(() => parseStareMesajResponse('   '))).toBeInstanceOf(AnafProtocolError);
  });
});

describe('parseListaResponse (listaMesaje*)', () => {
  const body = JSON.stringify({
    mesaje: [{ data_creare: '202312120940', cif: '23685159', id_solicitare: '5004552043',
      detalii: 'Factura cu id_incarcare=5004552043 emisa de cif_emitent=8000000000 pentru cif_beneficiar=23685159',
      tip: 'FACTURA PRIMITA', id: '3006372781' }],
    serial: '1234AA456', cui: '23685159', titlu: 'Lista Mesaje disponibile din ultimele 1 zile',
  });
  it('maps the ANAF fields (text/plain JSON with a BOM too)', () => {
    const l = parseListaResponse(`\uFEFF${body}`, 'listaMesajeFactura');
    expect(l.messages[0]).toMatchObject({ id: '3006372781', idSolicitare: '5004552043', tip: 'FACTURA PRIMITA', cifEmitent: '8000000000', cifBeneficiar: '23685159' });
    // 09:40 in Bucharest on 12 Dec (UTC+2) = 07:40Z
    expect(l.messages[0]!.createdAt!.toISOString()).toBe('2023-12-12T07:40:00.000Z');
    expect(l.page).toBeUndefined();
  });
  it('reads integer paging fields', () => {
    const p = parseListaResponse(JSON.stringify({ ...JSON.parse(body), numar_inregistrari_in_pagina: 1, numar_total_inregistrari_per_pagina: 500,
      numar_total_inregistrari: 501, numar_total_pagini: 2, index_pagina_curenta: 1 }), 'listaMesajePaginatieFactura');
    expect(p.page).toEqual({ numarInregistrariInPagina: 1, numarTotalInregistrariPerPagina: 500, numarTotalInregistrari: 501, numarTotalPagini: 2, indexPaginaCurenta: 1 });
  });
  it('"Nu exista mesaje" → empty; over-limit → quota; other eroare → rejected; junk → protocol', () => {
    expect(parseListaResponse('{"eroare":"Nu exista mesaje in ultimele 1 zile","titlu":"Lista Mesaje"}', 'listaMesajeFactura').messages).toEqual([]);
    expect(caught(() => parseListaResponse('{"eroare":"S-au facut deja 1500 interogari de tip lista mesaje de catre utilizator in cursul zilei"}', 'listaMesajeFactura'))).toBeInstanceOf(AnafQuotaExceededError);
    expect(caught(() => parseListaResponse('{"eroare":"CIF introdus= x nu este un numar"}', 'listaMesajeFactura'))).toBeInstanceOf(AnafRequestRejectedError);
    expect(caught(() => parseListaResponse('', 'listaMesajeFactura'))).toBeInstanceOf(AnafProtocolError);
    expect(caught(() => parseListaResponse('{"titlu":"x"}', 'listaMesajeFactura'))).toBeInstanceOf(AnafProtocolError);
  });
});

describe('error report and rule ids', () => {
  const report = `<?xml version="1.0" encoding="UTF-8"?>
<header xmlns="mfp:anaf:dgti:efactura:mesajEroriFactuta:v1" Index_incarcare="5011636148" Cif_emitent="47024170">
  <Error errorMessage="E: validari globale eroare regula: BR-RO-010, Numarul facturii trebuie sa contina cel putin un caracter numeric"/>
  <Error errorMessage="E: eroare schema: element neasteptat"/>
</header>`;
  it('parses Index_incarcare, Cif_emitent and each Error with its rule id', () => {
    expect(isErrorReport(report)).toBe(true);
    expect(parseErrorReport(Buffer.from(report))).toEqual({
      indexIncarcare: '5011636148',
      cifEmitent: '47024170',
      errors: [
        { message: 'E: validari globale eroare regula: BR-RO-010, Numarul facturii trebuie sa contina cel putin un caracter numeric', ruleId: 'BR-RO-010' },
        { message: 'E: eroare schema: element neasteptat' },
      ],
    });
  });
  it('extracts rule ids in their usual spellings', () => {
    expect(extractRuleId('E: validari globale eroare regula: BR-CO-15, total')).toBe('BR-CO-15');
    expect(extractRuleId('regula: BR-RO-A020, x')).toBe('BR-RO-A020');
    expect(extractRuleId('[BR-S-08]-VAT category')).toBe('BR-S-08');
    expect(extractRuleId('fatal BR-01 missing')).toBe('BR-01');
    expect(extractRuleId('UBL-SR-12 only once')).toBe('UBL-SR-12');
    expect(extractRuleId('nothing here')).toBeUndefined();
  });
  it('a non-XML report is a protocol error', () => {
    expect(caught(() => parseErrorReport('{"x":1}'))).toBeInstanceOf(AnafProtocolError);
  });
  it('only a `header` in the error-report namespace is an error report', () => {
    // another ANAF answer with a `header` root (the upload answer) is not a report
    const upload = '<header xmlns="mfp:anaf:dgti:spv:respUploadFisier:v1" ExecutionStatus="0" index_incarcare="3828"/>';
    expect(caught(() => parseErrorReport(upload))).toBeInstanceOf(AnafProtocolError);
    expect(caught(() => parseErrorReport('<header Index_incarcare="1"/>'))).toBeInstanceOf(AnafProtocolError);
    // the right namespace on another root is not one either
    const otherRoot = report.replaceAll('header', 'raport');
    expect(caught(() => parseErrorReport(otherRoot))).toBeInstanceOf(AnafProtocolError);
    expect(parseErrorReport(report).indexIncarcare).toBe('5011636148');
  });
});

describe('descarcare failures, validare, quota pattern', () => {
  it('descarcare eroare → quota or rejected', () => {
    expect(caught(() => throwDescarcareFailure('{"eroare":"S-au facut deja 10 descarcari la mesajul cu id_descarcare=7 in cursul zilei","titlu":"Descarcare mesaj"}'))).toBeInstanceOf(AnafQuotaExceededError);
    expect(caught(() => throwDescarcareFailure('{"eroare":"Pentru id=7 nu exista inregistrata nici o factura"}'))).toBeInstanceOf(AnafRequestRejectedError);
    expect(caught(() => throwDescarcareFailure('<html/>'))).toBeInstanceOf(AnafProtocolError);
  });
  it('validare answers', () => {
    expect(parseValidareResponse('{"stare":"ok","trace_id":"t-1"}')).toEqual({ stare: 'ok', traceId: 't-1', messages: [] });
    const nok = parseValidareResponse('{"stare":"nok","trace_id":"t","Messages":[{"message":"E: validari globale eroare regula: BR-RO-010, x"}]}');
    expect(nok.messages[0]!.ruleId).toBe('BR-RO-010');
    expect(caught(() => parseValidareResponse('{"stare":"maybe"}'))).toBeInstanceOf(AnafProtocolError);
  });
  it('recognises S-au facut deja N ... in cursul zilei', () => {
    expect(quotaLimitIn('S-au facut deja 20 descarcari de mesaj in cursul zilei')).toBe(20);
    expect(quotaLimitIn('Nu exista mesaje')).toBeUndefined();
  });
});
