import { useId, useState } from 'react';
import { Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TenantView } from '../api/types.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { useAdmin } from '../context.js';
import { stepProgress, tenantActions } from '../model/steps.js';
import { TENANTS_QUERY_KEY } from '../query-keys.js';
import { CreateTenantForm } from './CreateTenantForm.js';
import { StepBadges } from './StepBadges.js';

const STATUS_COLOR: Record<string, string> = { active: 'green', provisioning: 'blue', suspended: 'orange' };

/**
 * Platform operators: the tenants (`GET /v1/tenants`) with status and provisioning steps, suspend/resume
 * (`POST /v1/tenants/:slug/suspend|resume`), and the "Companie nouă" form. The list refreshes every 2 s while a
 * tenant is provisioning or a creation runs.
 */
export function TenantsSection() {
  const { t } = useTranslation();
  const { api } = useAdmin();
  const headingId = useId();
  const [creating, setCreating] = useState(false);
  const tenants = useQuery({
    queryKey: TENANTS_QUERY_KEY,
    queryFn: () => api.listTenants(),
    refetchInterval: (q) => (creating || (q.state.data ?? []).some((x) => x.status === 'provisioning') ? 2000 : false),
  });

  return (
    <Stack component="section" aria-labelledby={headingId} gap="md">
      <Title order={2} id={headingId}>
        {t('tenants.title')}
      </Title>
      {tenants.isPending && <Loader size="sm" aria-label={t('loading')} />}
      {tenants.error && (
        <Stack gap="xs" align="start">
          <ProblemAlert error={tenants.error} />
          <Button variant="light" onClick={() => void tenants.refetch()}>
            {t('retry')}
          </Button>
        </Stack>
      )}
      {tenants.data && <TenantsTable tenants={tenants.data} labelledBy={headingId} />}
      <Text size="sm" c="gray.7">
        {t('tenants.notShown')}
      </Text>
      <CreateTenantForm onRunningChange={setCreating} />
    </Stack>
  );
}

function TenantsTable({ tenants, labelledBy }: { tenants: TenantView[]; labelledBy: string }) {
  const { t } = useTranslation();
  const { api } = useAdmin();
  const queryClient = useQueryClient();
  const lifecycle = useMutation({
    mutationFn: (v: { slug: string; suspend: boolean }) => api.setTenantSuspended(v.slug, v.suspend),
    onSuccess: (tenant) => queryClient.setQueryData<TenantView[]>(TENANTS_QUERY_KEY, (old) => old?.map((x) => (x.slug === tenant.slug ? tenant : x))),
  });

  return (
    <Stack gap="xs">
      <ProblemAlert error={lifecycle.error} onClose={() => lifecycle.reset()} />
      <Table.ScrollContainer minWidth={820}>
        <Table aria-labelledby={labelledBy} striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('tenants.slug')}</Table.Th>
              <Table.Th scope="col">{t('tenants.name')}</Table.Th>
              <Table.Th scope="col">{t('tenants.cif')}</Table.Th>
              <Table.Th scope="col">{t('tenants.status')}</Table.Th>
              <Table.Th scope="col">{t('tenants.steps')}</Table.Th>
              <Table.Th scope="col">{t('tenants.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tenants.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>{t('tenants.none')}</Table.Td>
              </Table.Tr>
            )}
            {tenants.map((x) => {
              const actions = tenantActions(x.status);
              const progress = stepProgress(x.steps);
              const busy = lifecycle.isPending && lifecycle.variables?.slug === x.slug;
              return (
                <Table.Tr key={x.slug}>
                  <Table.Th scope="row" fw="normal">
                    <Text span ff="monospace" size="sm">
                      {x.slug}
                    </Text>
                  </Table.Th>
                  <Table.Td>{x.displayName}</Table.Td>
                  <Table.Td>{x.cif}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="dot" color={STATUS_COLOR[x.status] ?? 'gray'} tt="none" miw="max-content">
                      {t(`tenants.statuses.${x.status}`, { defaultValue: x.status })}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="gray.7">
                      {t('tenants.progress', progress)}
                    </Text>
                    <StepBadges steps={x.steps} label={t('tenants.stepsOf', { slug: x.slug })} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {actions.suspend && (
                        <Button size="xs" variant="default" loading={busy} aria-label={t('tenants.suspendTenant', { slug: x.slug })} onClick={() => lifecycle.mutate({ slug: x.slug, suspend: true })}>
                          {t('tenants.suspend')}
                        </Button>
                      )}
                      {actions.resume && (
                        <Button size="xs" variant="default" loading={busy} aria-label={t('tenants.resumeTenant', { slug: x.slug })} onClick={() => lifecycle.mutate({ slug: x.slug, suspend: false })}>
                          {t('tenants.resume')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
