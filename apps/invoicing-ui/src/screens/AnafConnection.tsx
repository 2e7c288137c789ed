/**
 * "Conexiune ANAF" screen (route `anaf`, issue 10 point 1): the tenant's company CIFs and the ANAF authorisation of
 * each (`GET /v1/anaf/companies` → `AnafCompanyView[]`): status badge, the day the authorisation (ANAF's refresh
 * token, 365 days) ends and the days left, and an alert for `expiring` (30 days before the end), `expired`, `refused`
 * (ANAF answered 403 on the CIF, with ANAF's reason) and `revoked`. Seen by `accountant` and `tenant-admin`; only a
 * `tenant-admin` adds a company (CUI check digit checked here first, then `POST /v1/anaf/companies`) or connects one
 * (`POST /v1/anaf/companies/:cif/authorization` → ANAF's `authorizeUrl` opened in a new tab: ANAF's certificate login
 * then sends that tab to invoicing-api's public callback page, "you can close this page"; meanwhile this screen polls
 * the list every 3 s, for at most the 10 minutes the OAuth state lives, until the CIF's `authorizedAt` changes).
 * "Sincronizează acum" asks for an SPV inbox run of one CIF (`POST /v1/efactura/inbox/sync {cif}`, issue 10 point 2)
 * and follows it (`GET /v1/efactura/inbox/runs/:id` every second until `done`/`failed`/`skipped`) with its counts.
 * API errors are shown as RFC 9457 problems ({@link ProblemAlert}).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate } from '@cetate/shared-ui';
import { useInvoicing } from '../context.js';
import type { AnafCompanyStatus, AnafCompanyView, InboxSyncRunView } from '../lib/api.js';
import { anafStatusColor, ATTENTION_STATUSES, canSync, isRunFinished } from '../lib/anaf-connection.js';
import { isValidCui } from '../lib/cui.js';
import { ProblemAlert } from '../components/ProblemAlert.js';

/** Poll period of the companies while a connection is under way at ANAF, ms. */
export const CONNECT_POLL_MS = 3_000;
/** How long a connection is waited for: the OAuth `state` lives 10 minutes (ANAF_OAUTH_STATE_TTL_MS of the API). */
export const CONNECT_WAIT_MS = 10 * 60_000;
/** Poll period of a running inbox-sync run, ms. */
export const RUN_POLL_MS = 1_000;

const COMPANIES_KEY = ['anaf-companies'] as const;
/** The counts of a run shown, in this order. */
const RUN_COUNTS = ['listed', 'newMessages', 'archived', 'receivedInvoices', 'buyerMessages', 'failed', 'pending'] as const satisfies ReadonlyArray<keyof InboxSyncRunView>;

/** A connection started in another tab: which CIF, its `authorizedAt` before, and until when it is waited for. */
interface PendingConnect {
  cif: string;
  authorizedAtBefore: string | null;
  until: number;
}

function StatusBadge({ status }: { status: AnafCompanyStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={anafStatusColor(status)} c="var(--mantine-color-text)" variant="light" data-status={status}>
      {t(`anaf.statuses.${status}`)}
    </Badge>
  );
}

/** The alert of a company whose status needs a tenant admin ({@link ATTENTION_STATUSES}). */
function CompanyWarning({ company }: { company: AnafCompanyView }) {
  const { t } = useTranslation();
  const { locale } = useInvoicing();
  const status = company.status as 'expiring' | 'expired' | 'refused' | 'revoked';
  const date = company.refreshExpiresAt ? formatDate(company.refreshExpiresAt, locale) : '—';
  const days = t('anaf.days', { count: Math.max(company.daysToExpiry ?? 0, 0) });
  return (
    <Alert
      color={anafStatusColor(company.status)}
      variant="light"
      role="alert"
      // the title in the body text colour: Mantine's yellow title on the light background stays under WCAG AA 4.5:1
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
      title={t(`anaf.alert.${status}`, { cif: company.cif, date, days })}
      data-testid="anaf-warning"
      data-cif={company.cif}
      data-status={company.status}
    >
      <Stack gap={4}>
        <Text size="sm">{t(`anaf.action.${status}`)}</Text>
        {company.refusedReason && <Text size="sm" data-testid="refused-reason">{t('anaf.reason', { reason: company.refusedReason })}</Text>}
        {company.warning && <Text size="xs">{t('anaf.apiWarning', { warning: company.warning })}</Text>}
      </Stack>
    </Alert>
  );
}

/** Progress and counts of one inbox-sync run, polled until it ends; the companies are read again at its end. */
function SyncRunPanel({ runId, cif }: { runId: string; cif: string }) {
  const { api } = useInvoicing();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: ['inbox-run', runId],
    queryFn: () => api.inboxRun(runId),
    refetchInterval: (query) => (query.state.data && isRunFinished(query.state.data.status) ? false : RUN_POLL_MS),
  });
  const finished = q.data ? isRunFinished(q.data.status) : false;
  useEffect(() => {
    // a run that met ANAF's 403 marked the company refused: show it
    if (finished) void queryClient.invalidateQueries({ queryKey: COMPANIES_KEY });
  }, [finished, queryClient]);
  return (
    <Paper withBorder p="sm" role="status" aria-live="polite" data-testid="sync-run" data-cif={cif} data-status={q.data?.status ?? ''}>
      {q.error ? (
        <ProblemAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <>
          <Text fw={600}>{t('anaf.run.title', { cif, status: q.data ? t(`anaf.run.statuses.${q.data.status}`) : t('loading') })}</Text>
          {q.data && (
            <dl style={{ display: 'grid', gridTemplateColumns: 'auto auto', justifyContent: 'start', columnGap: 24, margin: '8px 0 0' }}>
              {RUN_COUNTS.map((k) => (
                <div key={k} style={{ display: 'contents' }}>
                  <dt>{t(`anaf.run.${k}`)}</dt>
                  <dd style={{ margin: 0, textAlign: 'right' }} data-count={k}>{q.data[k]}</dd>
                </div>
              ))}
            </dl>
          )}
          {q.data?.error && <Text size="sm" mt="xs">{t('anaf.run.error', { error: q.data.error })}</Text>}
        </>
      )}
    </Paper>
  );
}

/** The "add a company" form of a tenant admin: CUI (check digit checked before asking the API) and name. */
function AddCompanyForm() {
  const { api } = useInvoicing();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [cif, setCif] = useState('');
  const [name, setName] = useState('');
  const [tried, setTried] = useState(false);
  const [cifTouched, setCifTouched] = useState(false);
  const add = useMutation({
    mutationFn: () => api.addAnafCompany(cif.trim(), name.trim()),
    onSuccess: () => {
      setCif('');
      setName('');
      setTried(false);
      setCifTouched(false);
      void queryClient.invalidateQueries({ queryKey: COMPANIES_KEY });
    },
  });
  const cifError = (tried || cifTouched) && cif.trim() !== '' && !isValidCui(cif) ? t('anaf.add.invalidCui') : tried && cif.trim() === '' ? t('anaf.add.required') : undefined;
  const nameError = tried && name.trim() === '' ? t('anaf.add.required') : undefined;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!isValidCui(cif) || name.trim() === '') return;
    add.mutate();
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="anaf-add-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="anaf-add-title">{t('anaf.add.title')}</Title>
          <Group align="flex-start">
            <TextInput
              label={t('anaf.add.cif')}
              required
              withAsterisk={false}
              value={cif}
              maxLength={14}
              onChange={(e) => {
                setCif(e.currentTarget.value);
                add.reset();
              }}
              onBlur={() => setCifTouched(true)}
              error={cifError}
              w={200}
            />
            <TextInput label={t('anaf.add.name')} required withAsterisk={false} value={name} maxLength={200} onChange={(e) => setName(e.currentTarget.value)} error={nameError} style={{ flex: '1 1 260px' }} />
            <Button type="submit" mt={25} loading={add.isPending}>{t('anaf.add.submit')}</Button>
          </Group>
          {add.isSuccess && <Text size="sm" role="status">{t('anaf.add.added', { cif: add.data.cif })}</Text>}
          {add.error && <ProblemAlert error={add.error} />}
        </Stack>
      </form>
    </Paper>
  );
}

export function AnafConnection() {
  const { api, basePath, locale, isTenantAdmin, canSeeAnaf } = useInvoicing();
  const { t } = useTranslation();
  const [pending, setPending] = useState<PendingConnect | null>(null);
  const [runs, setRuns] = useState<Array<{ cif: string; runId: string }>>([]);
  const companies = useQuery({
    queryKey: COMPANIES_KEY,
    queryFn: () => api.anafCompanies(),
    enabled: canSeeAnaf,
    refetchInterval: pending ? CONNECT_POLL_MS : false,
  });

  // the connection ends when the CIF's authorisation changed, or when its OAuth state can no longer be used
  useEffect(() => {
    if (!pending) return;
    const now = companies.data?.find((c) => c.cif === pending.cif);
    if ((now && now.authorizedAt !== pending.authorizedAtBefore) || Date.now() > pending.until) setPending(null);
  }, [companies.data, pending]);

  const connect = useMutation({
    mutationFn: ({ company }: { company: AnafCompanyView; tab: Window | null }) => api.startAnafAuthorization(company.cif),
    onSuccess: ({ authorizeUrl }, { company, tab }) => {
      if (!tab || tab.closed) {
        // no new tab (blocked): this tab goes to ANAF
        window.location.assign(authorizeUrl);
        return;
      }
      tab.location.href = authorizeUrl;
      setPending({ cif: company.cif, authorizedAtBefore: company.authorizedAt, until: Date.now() + CONNECT_WAIT_MS });
    },
    onError: (_err, { tab }) => tab?.close(),
  });
  const onConnect = (company: AnafCompanyView) => {
    // opened in the click itself (a tab opened after the API call would be a blocked pop-up), pointed at ANAF after
    const tab = window.open('', '_blank');
    if (tab) tab.opener = null;
    connect.mutate({ company, tab });
  };

  const sync = useMutation({
    mutationFn: (cif: string) => api.requestInboxSync(cif),
    onSuccess: ({ runs: started }) => setRuns((rs) => [...started.map((r) => ({ cif: r.cif, runId: r.runId })), ...rs.filter((r) => !started.some((s) => s.cif === r.cif))]),
  });

  if (!canSeeAnaf) {
    return (
      <Stack gap="md">
        <Title order={1}>{t('anaf.title')}</Title>
        <Text>{t('anaf.noAccess')}</Text>
      </Stack>
    );
  }

  const list = companies.data ?? [];
  const attention = list.filter((c) => ATTENTION_STATUSES.has(c.status));
  return (
    <Stack gap="md">
      <Anchor component={Link} to={basePath}>{t('detail.back')}</Anchor>
      <Title order={1}>{t('anaf.title')}</Title>
      <Text size="sm">{t('anaf.intro')}</Text>
      {!isTenantAdmin && <Text size="sm" c="dimmed">{t('anaf.readOnly')}</Text>}
      {companies.error && <ProblemAlert error={companies.error} onRetry={() => void companies.refetch()} />}
      {attention.map((c) => (
        <CompanyWarning key={c.cif} company={c} />
      ))}
      {pending && (
        <Alert color="blue" variant="light" role="status">
          {t('anaf.connectPending')}
        </Alert>
      )}
      {connect.error && <ProblemAlert error={connect.error} />}
      {sync.error && <ProblemAlert error={sync.error} />}
      <Table striped aria-busy={companies.isFetching && !companies.data}>
        <Table.Caption>{t('anaf.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('anaf.cif')}</Table.Th>
            <Table.Th scope="col">{t('anaf.name')}</Table.Th>
            <Table.Th scope="col">{t('anaf.status')}</Table.Th>
            <Table.Th scope="col">{t('anaf.until')}</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'right' }}>{t('anaf.left')}</Table.Th>
            <Table.Th scope="col">{t('anaf.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {companies.isPending && (
            <Table.Tr>
              <Table.Td colSpan={6}>{t('loading')}</Table.Td>
            </Table.Tr>
          )}
          {list.map((c) => (
            <Table.Tr key={c.cif} data-cif={c.cif} data-status={c.status}>
              <Table.Td>{c.cif}</Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                {c.name}
                {c.primary && <Text size="xs" c="dimmed">{t('anaf.primary')}</Text>}
              </Table.Td>
              <Table.Td aria-live="polite">
                <StatusBadge status={c.status} />
              </Table.Td>
              <Table.Td>{c.refreshExpiresAt ? formatDate(c.refreshExpiresAt, locale) : t('anaf.none')}</Table.Td>
              <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }} data-testid="days-left">
                {c.daysToExpiry === null ? t('anaf.none') : c.daysToExpiry <= 0 ? t('anaf.ended') : t('anaf.days', { count: c.daysToExpiry })}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  {isTenantAdmin && (
                    <Button size="xs" variant={c.status === 'authorized' ? 'default' : 'filled'} loading={connect.isPending && connect.variables?.company.cif === c.cif} onClick={() => onConnect(c)}>
                      {t('anaf.connect')}
                    </Button>
                  )}
                  {canSync(c.status) && (
                    <Button size="xs" variant="default" loading={sync.isPending && sync.variables === c.cif} onClick={() => sync.mutate(c.cif)}>
                      {t('anaf.sync')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {runs.map((r) => (
        <SyncRunPanel key={r.runId} runId={r.runId} cif={r.cif} />
      ))}
      {isTenantAdmin && <AddCompanyForm />}
    </Stack>
  );
}
