/**
 * Editor screen ("Factură nouă"): header, seller, buyer and lines of an RON invoice (type 380). As the user
 * types, the totals and the VAT per rate are recomputed (`draftTotals`, decimal.js) and the draft is checked
 * with the API's own zod schema (`validateDraft`); each finding is shown on its field with its rule id (e.g.
 * `BR-RO-010`) and listed under the form. Save → `POST /v1/invoices` (201) → the invoice's detail; a 400
 * `VALIDATION_FAILED` answer is shown the same way.
 * Buyer lookup (issue 10 point 3): leaving the buyer's CIF field with a valid Romanian CUI (BT-47, or BT-48 with `RO`),
 * or pressing "Caută la ANAF", asks `GET /v1/taxpayers/:cui` (ANAF's register) and fills the buyer's fields still
 * empty (`fillBuyer`: never what was typed); an inactive or not-VAT-registered taxpayer is shown as a warning.
 */
import { useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ActionIcon, Alert, Button, Fieldset, Group, List, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '@cetate/shared-ui';
import { RO_COUNTY_CODES } from '@cetate/invoicing-contracts';
import { useInvoicing } from '../context.js';
import { emptyDraft, emptyLine, toInvoiceDocument, validateDraft, VAT_CHOICES, type Finding, type InvoiceDraft, type LineDraft, type PartyDraft, type VatChoice } from '../lib/invoice-draft.js';
import { draftTotals } from '../lib/totals.js';
import { ApiProblem, findingsFromProblem } from '../lib/problem.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { fillBuyer, lookupCui } from '../lib/buyer-lookup.js';
import type { TaxpayerBuyerView } from '../lib/api.js';

const sellerKey = (tenant: string) => `cetate.invoicing.seller.${tenant}`;

function rememberedSeller(tenant: string): Partial<PartyDraft> | undefined {
  try {
    const raw = globalThis.localStorage?.getItem(sellerKey(tenant));
    return raw ? (JSON.parse(raw) as Partial<PartyDraft>) : undefined;
  } catch {
    return undefined;
  }
}

export function InvoiceEditor() {
  const { api, basePath, locale, tenantSlug } = useInvoicing();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<InvoiceDraft>(() => emptyDraft(new Date(), rememberedSeller(tenantSlug)));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverFindings, setServerFindings] = useState<Finding[] | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const lookedUp = useRef<string | null>(null);
  const [filledByLookup, setFilledByLookup] = useState<Array<keyof PartyDraft>>([]);

  const findings = useMemo(() => validateDraft(draft), [draft]);
  const totals = useMemo(() => draftTotals(draft.lines), [draft.lines]);
  const shown = serverFindings ?? findings.filter((f) => submitted || (f.field !== '' && touched.has(f.field)));
  const byField = new Map<string, Finding[]>();
  for (const f of shown) byField.set(f.field, [...(byField.get(f.field) ?? []), f]);

  const findingText = (f: Finding) => `${f.ruleId ? `${f.ruleId}: ` : ''}${f.message ?? t('editor.required')}`;
  const errorOf = (field: string): ReactNode => {
    const fs = byField.get(field);
    return fs ? fs.map(findingText).join(' · ') : undefined;
  };

  const update = (field: string, change: (d: InvoiceDraft) => InvoiceDraft) => {
    setDraft(change);
    setTouched((s) => (s.has(field) ? s : new Set(s).add(field)));
    setServerFindings(null);
  };
  const setTop = (key: 'number' | 'issueDate' | 'dueDate' | 'deliveryDate' | 'exemptionReason', value: string) =>
    update(key, (d) => ({ ...d, [key]: value }));
  const setParty = (who: 'seller' | 'buyer', key: keyof PartyDraft, value: string) =>
    update(`${who}.${key}`, (d) => ({ ...d, [who]: { ...d[who], [key]: value } }));
  const setLine = (i: number, key: keyof LineDraft, value: string) =>
    update(`lines.${i}.${key === 'vat' ? 'vat' : key}`, (d) => ({ ...d, lines: d.lines.map((l, j) => (j === i ? { ...l, [key]: value } : l)) }));

  const save = useMutation({
    mutationFn: () => api.create(toInvoiceDocument(draft)),
    onSuccess: (inv) => {
      try {
        globalThis.localStorage?.setItem(sellerKey(tenantSlug), JSON.stringify(draft.seller));
      } catch {
        /* private mode: nothing remembered */
      }
      void queryClient.invalidateQueries({ queryKey: ['invoices'] });
      navigate(`${basePath}/${inv.id}`);
    },
    onError: (err) => {
      if (err instanceof ApiProblem && err.code === 'VALIDATION_FAILED') {
        setServerFindings(findingsFromProblem(err.problem));
        summaryRef.current?.focus();
      }
    },
  });

  const lookup = useMutation({
    mutationFn: (cui: string) => api.taxpayer(cui),
    onSuccess: (tp: TaxpayerBuyerView) => {
      setFilledByLookup(fillBuyer(draftRef.current.buyer, tp).filled);
      setDraft((d) => ({ ...d, buyer: fillBuyer(d.buyer, tp).buyer }));
      setServerFindings(null);
    },
  });
  /** Asks ANAF's register for the buyer's CUI; on blur only once per CUI (the button asks again). */
  const lookUpBuyer = (force: boolean) => {
    const cui = lookupCui(draft.buyer.cif);
    if (!cui || (!force && cui === lookedUp.current)) return;
    lookedUp.current = cui;
    lookup.mutate(cui);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (findings.length > 0) {
      summaryRef.current?.focus();
      return;
    }
    save.mutate();
  };

  const fieldLabel = (field: string): string => {
    const m = /^lines\.(\d+)\.(\w+)$/.exec(field);
    if (m) {
      const name = { itemName: 'itemName', quantity: 'quantity', priceAmount: 'unitPrice', unitCode: 'unitCode', vat: 'vatRate' }[m[2]!] ?? m[2]!;
      return `${t('editor.line', { n: Number(m[1]) + 1 })}, ${t(`editor.${name}`)}`;
    }
    return labels[field] ?? field;
  };
  const partyLabels = (who: 'seller' | 'buyer') => {
    const suffix = ` (${t(who === 'seller' ? 'editor.seller' : 'editor.buyerSection').toLowerCase()})`;
    return {
      name: who === 'seller' ? t('editor.sellerName') : t('buyer'),
      cif: who === 'seller' ? t('editor.sellerCif') : t('editor.buyerCif'),
      street: t('editor.street') + suffix,
      city: t('editor.city') + suffix,
      county: t('editor.county') + suffix,
      countryCode: t('editor.country') + suffix,
    };
  };
  const sellerL = partyLabels('seller');
  const buyerL = partyLabels('buyer');
  const labels: Record<string, string> = {
    number: t('editor.invoiceNumber'),
    issueDate: t('editor.issueDate'),
    dueDate: t('editor.dueDate'),
    deliveryDate: t('editor.deliveryDate'),
    exemptionReason: t('editor.exemptionReason'),
    ...Object.fromEntries(Object.entries(sellerL).map(([k, v]) => [`seller.${k}`, v])),
    ...Object.fromEntries(Object.entries(buyerL).map(([k, v]) => [`buyer.${k}`, v])),
  };

  const partyFields = (who: 'seller' | 'buyer', L: Record<keyof PartyDraft, string>) => {
    const p = draft[who];
    return (
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={L.name} required withAsterisk={false} value={p.name} onChange={(e) => setParty(who, 'name', e.currentTarget.value)} error={errorOf(`${who}.name`)} />
        <TextInput
          label={L.cif}
          description={t('editor.cifHint')}
          value={p.cif}
          onChange={(e) => setParty(who, 'cif', e.currentTarget.value)}
          onBlur={who === 'buyer' ? () => lookUpBuyer(false) : undefined}
          error={errorOf(`${who}.cif`)}
        />
        <TextInput label={L.street} required withAsterisk={false} value={p.street} onChange={(e) => setParty(who, 'street', e.currentTarget.value)} error={errorOf(`${who}.street`)} />
        <TextInput label={L.city} required withAsterisk={false} value={p.city} onChange={(e) => setParty(who, 'city', e.currentTarget.value)} error={errorOf(`${who}.city`)} />
        {p.countryCode.toUpperCase() === 'RO' ? (
          <NativeSelect
            label={L.county}
            required withAsterisk={false}
            data={[{ value: '', label: '—' }, ...RO_COUNTY_CODES.map((c) => ({ value: c, label: c }))]}
            value={p.county}
            onChange={(e) => setParty(who, 'county', e.currentTarget.value)}
            error={errorOf(`${who}.county`)}
          />
        ) : (
          <TextInput label={L.county} value={p.county} onChange={(e) => setParty(who, 'county', e.currentTarget.value)} error={errorOf(`${who}.county`)} />
        )}
        <TextInput label={L.countryCode} required withAsterisk={false} maxLength={2} value={p.countryCode} onChange={(e) => setParty(who, 'countryCode', e.currentTarget.value)} error={errorOf(`${who}.countryCode`)} />
      </SimpleGrid>
    );
  };

  const money = (v: string) => formatMoney(v, 'RON', locale);
  const hasExempt = draft.lines.some((l) => l.vat === 'E');

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <Title order={1}>{t('newInvoice')}</Title>
        <Fieldset legend={t('newInvoice')}>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            <TextInput label={t('editor.invoiceNumber')} required withAsterisk={false} value={draft.number} onChange={(e) => setTop('number', e.currentTarget.value)} error={errorOf('number')} />
            <TextInput type="date" label={t('editor.issueDate')} required withAsterisk={false} value={draft.issueDate} onChange={(e) => setTop('issueDate', e.currentTarget.value)} error={errorOf('issueDate')} />
            <TextInput type="date" label={t('editor.dueDate')} value={draft.dueDate} onChange={(e) => setTop('dueDate', e.currentTarget.value)} error={errorOf('dueDate')} />
            <TextInput type="date" label={t('editor.deliveryDate')} value={draft.deliveryDate} onChange={(e) => setTop('deliveryDate', e.currentTarget.value)} error={errorOf('deliveryDate')} />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend={t('editor.seller')}>
          <Text size="xs" c="dimmed" mb="xs">{t('editor.sellerHint')}</Text>
          {partyFields('seller', sellerL)}
        </Fieldset>
        <Fieldset legend={t('editor.buyerSection')}>
          {partyFields('buyer', buyerL)}
          <Group mt="sm">
            <Button variant="default" size="xs" disabled={!lookupCui(draft.buyer.cif)} loading={lookup.isPending} onClick={() => lookUpBuyer(true)}>
              {t('editor.lookup')}
            </Button>
          </Group>
          <div aria-live="polite" data-testid="buyer-lookup">
            {lookup.error && <ProblemAlert error={lookup.error} />}
            {lookup.data && !lookup.isPending && (
              <Stack gap={4} mt="xs">
                <Text size="sm">
                  {[
                    t('editor.lookupTitle', { name: lookup.data.name }),
                    lookup.data.tradeRegister ? t('editor.tradeRegister', { value: lookup.data.tradeRegister }) : null,
                    lookup.data.vatId ? t('editor.vatRegistered', { vatId: lookup.data.vatId }) : null,
                    lookup.data.eFacturaRegistered ? t('editor.eFactura') : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
                <Text size="xs" c="dimmed">
                  {filledByLookup.length ? t('editor.lookupFilled', { fields: filledByLookup.map((k) => buyerL[k]).join(', ') }) : t('editor.lookupNothingFilled')}
                </Text>
                {(lookup.data.inactive || !lookup.data.vatRegistered) && (
                  <Alert color="yellow" variant="light" styles={{ title: { color: 'var(--mantine-color-text)' } }} title={t('editor.lookupWarning')} data-testid="buyer-warning">
                    {lookup.data.inactive && <Text size="sm">{t('editor.inactive')}</Text>}
                    {!lookup.data.vatRegistered && <Text size="sm">{t('editor.notVatRegistered')}</Text>}
                  </Alert>
                )}
              </Stack>
            )}
          </div>
        </Fieldset>

        <Title order={2} size="h3">{t('editor.lines')}</Title>
        {draft.lines.map((l, i) => (
          <Fieldset key={l.key} legend={t('editor.line', { n: i + 1 })}>
            <Group align="flex-start" wrap="wrap">
              <TextInput label={t('editor.itemName')} required withAsterisk={false} style={{ flex: '3 1 220px' }} value={l.itemName} onChange={(e) => setLine(i, 'itemName', e.currentTarget.value)} error={errorOf(`lines.${i}.itemName`)} />
              <TextInput label={t('editor.quantity')} required withAsterisk={false} inputMode="decimal" style={{ flex: '1 1 90px' }} value={l.quantity} onChange={(e) => setLine(i, 'quantity', e.currentTarget.value)} error={errorOf(`lines.${i}.quantity`)} />
              <TextInput label={t('editor.unitCode')} required withAsterisk={false} style={{ flex: '0 1 70px' }} value={l.unitCode} onChange={(e) => setLine(i, 'unitCode', e.currentTarget.value)} error={errorOf(`lines.${i}.unitCode`)} />
              <TextInput label={t('editor.unitPrice')} required withAsterisk={false} inputMode="decimal" style={{ flex: '1 1 110px' }} value={l.priceAmount} onChange={(e) => setLine(i, 'priceAmount', e.currentTarget.value)} error={errorOf(`lines.${i}.priceAmount`)} />
              <NativeSelect
                label={t('editor.vatRate')}
                style={{ flex: '1 1 170px' }}
                data={(Object.keys(VAT_CHOICES) as VatChoice[]).map((v) => ({ value: v, label: t(`vat.${v}`) }))}
                value={l.vat}
                onChange={(e) => setLine(i, 'vat', e.currentTarget.value)}
                error={errorOf(`lines.${i}.vat`)}
              />
              <TextInput label={t('editor.lineNet')} readOnly variant="filled" style={{ flex: '1 1 120px' }} value={totals.lineNet[i] !== null && totals.lineNet[i] !== undefined ? money(totals.lineNet[i]!) : '—'} />
              {draft.lines.length > 1 && (
                <ActionIcon
                  mt={26}
                  variant="subtle"
                  color="red"
                  aria-label={t('editor.removeLine', { n: i + 1 })}
                  onClick={() => update('lines', (d) => ({ ...d, lines: d.lines.filter((_, j) => j !== i) }))}
                >
                  ×
                </ActionIcon>
              )}
            </Group>
          </Fieldset>
        ))}
        <Group>
          <Button variant="default" onClick={() => setDraft((d) => ({ ...d, lines: [...d.lines, emptyLine()] }))}>
            {t('editor.addLine')}
          </Button>
        </Group>
        {hasExempt && (
          <TextInput label={t('editor.exemptionReason')} required withAsterisk={false} value={draft.exemptionReason} onChange={(e) => setTop('exemptionReason', e.currentTarget.value)} error={errorOf('exemptionReason')} />
        )}

        <Paper withBorder p="md" aria-labelledby="invoicing-totals-title">
          <Title order={2} size="h3" id="invoicing-totals-title">{t('editor.totals')}</Title>
          <Table mt="xs" captionSide="top">
            <Table.Caption>{t('editor.vatBreakdown')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('editor.vatRate')}</Table.Th>
                <Table.Th scope="col" style={{ textAlign: 'right' }}>{t('editor.taxable')}</Table.Th>
                <Table.Th scope="col" style={{ textAlign: 'right' }}>{t('editor.vat')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {totals.vatBreakdown.map((b) => (
                <Table.Tr key={`${b.vatCategory}|${b.vatRate}`} data-vat={`${b.vatCategory}-${b.vatRate ?? ''}`}>
                  <Table.Td>{b.vatCategory}{b.vatRate !== null ? ` ${b.vatRate} %` : ''}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{money(b.taxableAmount)}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{money(b.taxAmount)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <dl aria-live="polite" style={{ display: 'grid', gridTemplateColumns: 'auto auto', justifyContent: 'end', columnGap: 24, margin: '12px 0 0' }}>
            <dt>{t('editor.net')}</dt>
            <dd style={{ margin: 0, textAlign: 'right' }} data-total="taxExclusive">{money(totals.taxExclusiveAmount)}</dd>
            <dt>{t('editor.vat')}</dt>
            <dd style={{ margin: 0, textAlign: 'right' }} data-total="tax">{money(totals.taxAmount)}</dd>
            <dt><strong>{t('editor.payable')}</strong></dt>
            <dd style={{ margin: 0, textAlign: 'right' }} data-total="payable"><strong>{money(totals.payableAmount)}</strong></dd>
          </dl>
          {totals.incompleteLines.length > 0 && (
            <Text size="xs" c="dimmed">{t('editor.incomplete', { lines: totals.incompleteLines.map((i) => i + 1).join(', ') })}</Text>
          )}
        </Paper>

        <div ref={summaryRef} tabIndex={-1} aria-labelledby="invoicing-findings-title" role="region">
          <Title order={2} size="h4" id="invoicing-findings-title">{t('editor.findings')}</Title>
          {shown.length === 0 ? (
            <Text size="sm" c="dimmed">{t('editor.noFindings')}</Text>
          ) : (
            <List size="sm" data-testid="findings">
              {shown.map((f, k) => (
                <List.Item key={`${f.path}-${k}`} data-rule-id={f.ruleId ?? undefined}>
                  <strong>{f.field ? fieldLabel(f.field) : f.path || '—'}</strong>: {findingText(f)}
                </List.Item>
              ))}
            </List>
          )}
        </div>

        {save.error && !(save.error instanceof ApiProblem && save.error.code === 'VALIDATION_FAILED') && <ProblemAlert error={save.error} />}
        <Group>
          <Button type="submit" loading={save.isPending}>{t('editor.save')}</Button>
          <Button variant="default" onClick={() => navigate(basePath)}>{t('editor.cancel')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
