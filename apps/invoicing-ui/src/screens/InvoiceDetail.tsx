/**
 * Detail screen: `GET /v1/invoices/:id` (polled every 2 s while the e-Factura state is in flight), the state
 * badge, totals, ANAF's messages and the local validator's fatal rule ids (each with its rule id), versions,
 * history, "Trimite la ANAF" (`POST /v1/invoices/:id/send`, 202; a second send of a version changes nothing),
 * download of the current version's XML and of ANAF's ZIP (signed invoice or error report), per version too.
 * Corrections (issue 7): in `invalid`/`rejected`/`failed` "Încarcă versiunea corectată" posts a UBL XML to
 * `POST /v1/invoices/:id/versions` (version n+1, `draft`, then sent as usual); on an `accepted` invoice
 * "Emite notă de credit (integral)" posts `{}` to `POST /v1/invoices/:id/credit-note` and opens the new credit note;
 * the invoice lists its credit notes and the amount still due (`amountDue`).
 * Messages and findings (issue 8): the local validator's show their Romanian (or English) text, the fields concerned
 * (their BT-/BG- terms), the xpath and line:column in the XML. While the version just imported (`InvoiceImport` passes
 * `{ validation, version }` as router state) or just uploaded as a correction is a draft, its local findings (the
 * `validation` of the API's answer, the same `validateUbl` the worker runs before the upload) are listed too.
 */
import { useState } from 'react';
import { useParams, Link, useLocation, useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Anchor, Badge, Button, FileButton, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { displayDate, displayMoney } from '../lib/display.js';
import { useInvoicing } from '../context.js';
import { isInFlight } from '../lib/efactura-states.js';
import { ApiProblem } from '../lib/problem.js';
import type { Download } from '../lib/api.js';
import { StateBadge } from '../components/StateBadge.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { POLL_MS } from './InvoiceList.js';
import type { ValidationResultView } from '@cetate/invoicing-contracts';
import { MAX_XML_BYTES, type ImportedState } from './InvoiceImport.js';
import { ValidationFindings } from './ValidationFindings.js';

/** Saves a downloaded file through a temporary object URL. */
function saveFile({ blob, filename }: Download): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const dateTime = (iso: string, locale: 'ro' | 'en') =>
  new Intl.DateTimeFormat(locale === 'ro' ? 'ro-RO' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Europe/Bucharest' }).format(new Date(iso));

/** States from which "send" is accepted by the API (draft → queued); others answer 409. */
const SENDABLE = new Set(['draft']);
/** States from which `POST /v1/invoices/:id/versions` accepts a correction (state table: → `draft`); others 409. */
const CORRECTABLE = new Set(['invalid', 'rejected', 'failed']);

export function InvoiceDetail() {
  const { id = '' } = useParams();
  const { api, basePath, locale, canWrite } = useInvoicing();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: ['invoice', id],
    queryFn: () => api.get(id),
    refetchInterval: (query) => (query.state.data && isInFlight(query.state.data.efactura.state) ? POLL_MS : false),
  });
  const send = useMutation({
    mutationFn: () => api.send(id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['invoice', id] });
      void queryClient.invalidateQueries({ queryKey: ['invoices'] });
    },
  });
  const download = useMutation({ mutationFn: (what: 'xml' | 'zip') => (what === 'xml' ? api.xml(id) : api.anafZip(id)), onSuccess: saveFile });
  const versionZip = useMutation({ mutationFn: (version: number) => api.anafZip(id, version), onSuccess: saveFile });
  const navigate = useNavigate();
  const imported = useLocation().state as ImportedState | null;
  const [tooLarge, setTooLarge] = useState(false);
  const correct = useMutation({
    mutationFn: (file: File) => api.createVersionXml(id, file),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['invoice', id] });
      void queryClient.invalidateQueries({ queryKey: ['invoices'] });
    },
  });
  const takeCorrection = (file: File | null) => {
    if (!file) return;
    setTooLarge(file.size > MAX_XML_BYTES);
    if (file.size > MAX_XML_BYTES) return;
    send.reset();
    correct.mutate(file);
  };
  const credit = useMutation({
    mutationFn: () => api.creditNote(id),
    onSuccess: (cn) => {
      void queryClient.invalidateQueries({ queryKey: ['invoice', id] });
      void queryClient.invalidateQueries({ queryKey: ['invoices'] });
      navigate(`${basePath}/${cn.id}`);
    },
  });

  if (q.isPending) return <Text>{t('loading')}</Text>;
  if (q.error) {
    return (
      <Stack>
        <Anchor component={Link} to={basePath}>{t('detail.back')}</Anchor>
        {q.error instanceof ApiProblem && q.error.code === 'INVOICE_NOT_FOUND' ? <Alert role="alert" color="red">{t('detail.notFound')}</Alert> : <ProblemAlert error={q.error} onRetry={() => void q.refetch()} />}
      </Stack>
    );
  }
  const inv = q.data;
  const ef = inv.efactura;
  const money = (v: string | null) => displayMoney(v, inv.currencyCode, locale);
  const messagesWithoutRule = ef.fatal.filter((r) => !ef.messages.some((m) => m.ruleId === r));
  // the local findings of the version just written (import or correction), while it is a draft not sent yet
  const fresh: ValidationResultView | undefined =
    correct.data?.version === inv.version ? correct.data.validation : imported?.version === inv.version ? imported.validation : undefined;
  const freshFindings = ef.state === 'draft' && fresh && fresh.findings.length > 0 ? fresh : undefined;

  return (
    <Stack gap="md">
      <Anchor component={Link} to={basePath}>{t('detail.back')}</Anchor>
      <Group justify="space-between" align="center">
        <Group align="center">
          <Title order={1} style={{ overflowWrap: "anywhere" }}>{inv.number || inv.id}</Title>
          <span aria-live="polite"><StateBadge state={ef.state} /></span>
        </Group>
        <Group>
          {canWrite && (
            <Button onClick={() => send.mutate()} loading={send.isPending} disabled={!SENDABLE.has(ef.state)}>
              {t('detail.send')}
            </Button>
          )}
          {/* the API credits only invoices built from JSON (422 CREDIT_NOTE_NEEDS_JSON_SOURCE for an imported UBL) */}
          {canWrite && ef.state === 'accepted' && inv.documentType === 'Invoice' && inv.source === 'json' && (
            <Button variant="light" onClick={() => credit.mutate()} loading={credit.isPending}>{t('detail.issueCreditNote')}</Button>
          )}
          <Button variant="default" onClick={() => download.mutate('xml')}>{t('detail.downloadXml')}</Button>
          <Button variant="default" onClick={() => download.mutate('zip')} disabled={!ef.anafZipAvailable}>{t('detail.downloadZip')}</Button>
        </Group>
      </Group>
      {send.data && !send.data.queued && <Alert color="yellow" role="status">{t('detail.alreadySent')}</Alert>}
      {send.error && <ProblemAlert error={send.error} />}
      {download.error && <ProblemAlert error={download.error} />}
      {versionZip.error && <ProblemAlert error={versionZip.error} />}
      {credit.error && <ProblemAlert error={credit.error} />}
      {correct.data && correct.data.version === inv.version && ef.state === 'draft' && (
        <Alert color="green" role="status">{t('detail.versionCreated', { version: correct.data.version })}</Alert>
      )}
      {inv.creditedInvoiceId && (
        <Anchor component={Link} to={`${basePath}/${inv.creditedInvoiceId}`}>{t('detail.creditedInvoice')}</Anchor>
      )}

      {canWrite && CORRECTABLE.has(ef.state) && (
        <section aria-labelledby="invoicing-correction">
          <Title order={2} size="h3" id="invoicing-correction">{t('detail.correctionTitle')}</Title>
          <Text size="sm" my="xs">{t('detail.correction')}</Text>
          <FileButton onChange={takeCorrection} accept="application/xml,text/xml,.xml">
            {(props) => <Button {...props} loading={correct.isPending}>{t('detail.uploadCorrected')}</Button>}
          </FileButton>
          {correct.isPending && correct.variables && <Text size="sm" role="status">{t('detail.uploadingVersion', { name: correct.variables.name })}</Text>}
          {tooLarge && <Alert color="red" role="alert" mt="xs">{t('import.tooLarge')}</Alert>}
          {correct.error && <ProblemAlert error={correct.error} />}
        </section>
      )}

      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} component="dl" style={{ margin: 0 }}>
          {[
            [t('detail.seller'), `${inv.seller.name ?? '—'}${inv.seller.cif ? ` (${inv.seller.cif})` : ''}`],
            [t('buyer'), inv.buyer.name ?? '—'],
            [t('date'), displayDate(inv.issueDate, locale)],
            [t('detail.totalNet'), money(inv.totals.taxExclusiveAmount)],
            [t('detail.totalVat'), money(inv.totals.taxAmount)],
            [t('detail.totalPayable'), money(inv.totals.payableAmount)],
            ...(inv.documentType === 'Invoice' ? [[t('detail.amountDue'), money(inv.amountDue)]] : []),
            [t('detail.version'), String(inv.version)],
            [t('detail.source'), inv.source.toUpperCase()],
            [t('detail.indexIncarcare'), ef.indexIncarcare ?? '—'],
            [t('detail.idDescarcare'), ef.idDescarcare ?? '—'],
            ...(ef.reason ? [[t('detail.reason'), ef.reason]] : []),
          ].map(([k, v]) => (
            <div key={k}>
              <Text component="dt" size="xs" c="dimmed">{k}</Text>
              <Text component="dd" m={0}>{v}</Text>
            </div>
          ))}
        </SimpleGrid>
      </Paper>

      {(ef.messages.length > 0 || ef.fatal.length > 0) && (
        <section aria-labelledby="invoicing-anaf-messages">
          <Title order={2} size="h3" id="invoicing-anaf-messages">{t('detail.anafMessages')}</Title>
          {ef.fatal.length > 0 && (
            <Group gap="xs" my="xs" aria-label={t('detail.fatal')} role="list">
              <Text size="sm">{t('detail.fatal')}:</Text>
              {ef.fatal.map((r) => <Badge key={r} color="red" variant="outline" role="listitem">{r}</Badge>)}
            </Group>
          )}
          <ValidationFindings
            rows={ef.messages}
            locale={locale}
            extraRows={messagesWithoutRule.map((r) => (
              <Table.Tr key={`fatal-${r}`} data-rule-id={r}>
                <Table.Td><code>{r}</code></Table.Td>
                <Table.Td>FATAL</Table.Td>
                <Table.Td>—</Table.Td>
                <Table.Td>—</Table.Td>
                <Table.Td>—</Table.Td>
              </Table.Tr>
            ))}
          />
        </section>
      )}

      {freshFindings && (
        <section aria-labelledby="invoicing-local-findings" data-testid="local-findings">
          <Title order={2} size="h3" id="invoicing-local-findings">{t('detail.localFindings')}</Title>
          <Text size="sm" my="xs">{t(freshFindings.valid ? 'detail.localFindingsValid' : 'detail.localFindingsInvalid', { count: freshFindings.fatal.length })}</Text>
          <ValidationFindings rows={freshFindings.findings} locale={locale} />
        </section>
      )}

      <section aria-labelledby="invoicing-versions">
        <Title order={2} size="h3" id="invoicing-versions">{t('detail.versions')}</Title>
        <Table>
          <Table.Caption>{t('detail.versionsCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('detail.version')}</Table.Th>
              <Table.Th scope="col">{t('state')}</Table.Th>
              <Table.Th scope="col">{t('detail.source')}</Table.Th>
              <Table.Th scope="col">{t('detail.at')}</Table.Th>
              <Table.Th scope="col">{t('detail.sentAt')}</Table.Th>
              <Table.Th scope="col">{t('detail.indexIncarcare')}</Table.Th>
              <Table.Th scope="col">{t('detail.anafZip')}</Table.Th>
              <Table.Th scope="col">SHA-256</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {inv.versions.map((v) => (
              <Table.Tr key={v.version} data-version={v.version} data-state={v.efactura.state}>
                <Table.Th scope="row">{v.version}</Table.Th>
                <Table.Td><StateBadge state={v.efactura.state} /></Table.Td>
                <Table.Td>{v.source.toUpperCase()}</Table.Td>
                <Table.Td>{dateTime(v.createdAt, locale)}</Table.Td>
                <Table.Td>{v.sendRequestedAt ? dateTime(v.sendRequestedAt, locale) : '—'}</Table.Td>
                <Table.Td>{v.efactura.indexIncarcare ?? '—'}</Table.Td>
                <Table.Td>
                  {v.efactura.anafZipAvailable ? (
                    <Anchor component="button" type="button" fz="sm" onClick={() => versionZip.mutate(v.version)} aria-label={t('detail.zipOfVersion', { version: v.version })}>
                      {t('detail.anafZip')}
                    </Anchor>
                  ) : '—'}
                </Table.Td>
                <Table.Td><code style={{ fontSize: 11 }}>{v.xmlSha256.slice(0, 16)}…</code></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </section>

      {inv.documentType === 'Invoice' && (inv.creditNotes.length > 0 || ef.state === 'accepted') && (
        <section aria-labelledby="invoicing-credit-notes">
          <Title order={2} size="h3" id="invoicing-credit-notes">{t('detail.creditNotes')}</Title>
          {inv.creditNotes.length === 0 ? (
            <Text size="sm">{t('detail.noCreditNotes')}</Text>
          ) : (
            <Table>
              <Table.Caption>{t('detail.creditNotesCaption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('number')}</Table.Th>
                  <Table.Th scope="col">{t('date')}</Table.Th>
                  <Table.Th scope="col">{t('state')}</Table.Th>
                  <Table.Th scope="col">{t('total')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {inv.creditNotes.map((cn) => (
                  <Table.Tr key={cn.id} data-credit-note-id={cn.id}>
                    <Table.Th scope="row"><Anchor component={Link} to={`${basePath}/${cn.id}`}>{cn.number}</Anchor></Table.Th>
                    <Table.Td>{displayDate(cn.issueDate, locale)}</Table.Td>
                    <Table.Td><StateBadge state={cn.state} /></Table.Td>
                    <Table.Td>{money(cn.payableAmount)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </section>
      )}

      <section aria-labelledby="invoicing-history">
        <Title order={2} size="h3" id="invoicing-history">{t('detail.history')}</Title>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('detail.at')}</Table.Th>
              <Table.Th scope="col">{t('detail.version')}</Table.Th>
              <Table.Th scope="col">{t('detail.event')}</Table.Th>
              <Table.Th scope="col">{t('state')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {inv.history.map((h, k) => (
              <Table.Tr key={k}>
                <Table.Td>{dateTime(h.at, locale)}</Table.Td>
                <Table.Td>{h.version}</Table.Td>
                <Table.Td><code>{h.event}</code></Table.Td>
                <Table.Td>{t(`states.${h.state}`, { defaultValue: h.state })}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </section>
    </Stack>
  );
}
