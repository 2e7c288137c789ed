/**
 * List screen (`h1` "Facturi"): `GET /v1/invoices?state=&buyer=&issuedFrom=&issuedTo=&limit=&offset=`, a table
 * Număr / Cumpărător / Data / Total / Stare, filters by state, buyer (typed text, 300 ms debounce) and issue date
 * range, paging (50 per page), and the e-Factura state badge kept live by polling every
 * 2 s while any shown invoice is in flight (queued → … → accepted/rejected). A row's number links to its detail.
 */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQuery, keepPreviousData } from '@tanstack/react-query';
import { Anchor, Button, Group, NativeSelect, Pagination, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { displayDate, displayMoney } from '../lib/display.js';
import { useInvoicing } from '../context.js';
import { EFACTURA_STATES, isInFlight } from '../lib/efactura-states.js';
import { StateBadge } from '../components/StateBadge.js';
import { ProblemAlert } from '../components/ProblemAlert.js';

/** Rows per page (the API allows 1..200). */
export const PAGE_SIZE = 50;
/** Poll period while a shown invoice is in flight, ms. */
export const POLL_MS = 2_000;

export function InvoiceList() {
  const { api, basePath, locale, canWrite, canSeeAnaf } = useInvoicing();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [state, setState] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [buyerText, setBuyerText] = useState('');
  const [buyer] = useDebouncedValue(buyerText.trim(), 300);
  const [issuedFrom, setIssuedFrom] = useState('');
  const [issuedTo, setIssuedTo] = useState('');
  const q = useQuery({
    queryKey: ['invoices', state ?? '', buyer, issuedFrom, issuedTo, page],
    queryFn: () =>
      api.list({
        state: state ?? undefined,
        buyer: buyer || undefined,
        issuedFrom: issuedFrom || undefined,
        issuedTo: issuedTo || undefined,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some((i) => isInFlight(i.efactura.state)) ? POLL_MS : false),
  });
  const pages = q.data ? Math.max(1, Math.ceil(q.data.total / PAGE_SIZE)) : 1;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>{t('title')}</Title>
        <Group>
          {canSeeAnaf && (
            <Button component={Link} to={`${basePath}/anaf`} variant="subtle">
              {t('anaf.nav')}
            </Button>
          )}
          {canWrite && (
            <>
              <Button component={Link} to={`${basePath}/import`} variant="default">
                {t('importXml')}
              </Button>
              <Button onClick={() => navigate(`${basePath}/noua`)}>{t('newInvoice')}</Button>
            </>
          )}
        </Group>
      </Group>
      <Group align="flex-end">
        <NativeSelect
          label={t('stateFilter')}
          data={[{ value: '', label: t('allStates') }, ...EFACTURA_STATES.map((s) => ({ value: s, label: t(`states.${s}`) }))]}
          value={state ?? ''}
          onChange={(e) => {
            setState(e.currentTarget.value || null);
            setPage(1);
          }}
          w={220}
        />
        <TextInput
          label={t('buyerFilter')}
          value={buyerText}
          maxLength={100}
          onChange={(e) => {
            setBuyerText(e.currentTarget.value);
            setPage(1);
          }}
          w={240}
        />
        <TextInput
          type="date"
          label={t('issuedFrom')}
          value={issuedFrom}
          onChange={(e) => {
            setIssuedFrom(e.currentTarget.value);
            setPage(1);
          }}
        />
        <TextInput
          type="date"
          label={t('issuedTo')}
          value={issuedTo}
          onChange={(e) => {
            setIssuedTo(e.currentTarget.value);
            setPage(1);
          }}
        />
        {q.data && <Text size="sm" c="dimmed">{t('totalCount', { count: q.data.total })}</Text>}
      </Group>
      {q.error && <ProblemAlert error={q.error} onRetry={() => void q.refetch()} />}
      <Table striped highlightOnHover aria-busy={q.isFetching && !q.data}>
        <Table.Caption>
          {t('listCaption')}
          <VisuallyHidden>. {t('liveUpdate')}</VisuallyHidden>
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('number')}</Table.Th>
            <Table.Th scope="col">{t('buyer')}</Table.Th>
            <Table.Th scope="col">{t('date')}</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'right' }}>{t('total')}</Table.Th>
            <Table.Th scope="col">{t('state')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.isPending && (
            <Table.Tr>
              <Table.Td colSpan={5}>{t('loading')}</Table.Td>
            </Table.Tr>
          )}
          {q.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={5}>{t('empty')}</Table.Td>
            </Table.Tr>
          )}
          {q.data?.items.map((inv) => (
            <Table.Tr key={inv.id} data-invoice-id={inv.id} onClick={() => navigate(`${basePath}/${inv.id}`)} style={{ cursor: 'pointer' }}>
              {/* an imported number can be 200 digits without a break (BT-1 has no length limit in UBL): wrap it */}
              <Table.Td style={{ overflowWrap: 'anywhere', maxWidth: '16rem' }}>
                <Anchor component={Link} to={`${basePath}/${inv.id}`} onClick={(e) => e.stopPropagation()}>
                  {inv.number || inv.id.slice(0, 8)}
                </Anchor>
              </Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{inv.buyer.name ?? '—'}</Table.Td>
              <Table.Td>{displayDate(inv.issueDate, locale)}</Table.Td>
              <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                {displayMoney(inv.totals.payableAmount, inv.currencyCode, locale)}
              </Table.Td>
              <Table.Td aria-live="polite">
                <StateBadge state={inv.efactura.state} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} aria-label={t('pages')} getControlProps={(c) => ({ 'aria-label': t(`pager.${c}`) })} />}
    </Stack>
  );
}
