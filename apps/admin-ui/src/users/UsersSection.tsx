import { useId, useState } from 'react';
import { Alert, Badge, Button, Checkbox, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { IdentityUser } from '../api/types.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { useAdmin } from '../context.js';
import { TENANT_REALM_ROLES, type TenantRealmRole } from '../model/validation.js';
import { InviteUserForm } from './InviteUserForm.js';
import { USERS_QUERY_KEY } from '../query-keys.js';

/** Page size of `GET /v1/users` (the API's maximum). */
const PAGE = 100;

/**
 * Tenant admins: the users of their realm (`GET /v1/users`) with roles, state and pending required actions;
 * enable/disable and role changes (`PATCH /v1/users/:id`); the invite form (`POST /v1/users`).
 */
export function UsersSection() {
  const { t } = useTranslation();
  const { api } = useAdmin();
  const headingId = useId();
  const users = useQuery({ queryKey: USERS_QUERY_KEY, queryFn: () => api.listUsers({ first: 0, max: PAGE }) });

  return (
    <Stack component="section" aria-labelledby={headingId} gap="md">
      <Title order={2} id={headingId}>
        {t('users.title')}
      </Title>
      {users.isPending && <Loader size="sm" aria-label={t('loading')} />}
      {users.error && (
        <Stack gap="xs" align="start">
          <ProblemAlert error={users.error} />
          <Button variant="light" onClick={() => void users.refetch()}>
            {t('retry')}
          </Button>
        </Stack>
      )}
      {users.data && <UsersTable users={users.data} labelledBy={headingId} />}
      {users.data && users.data.length >= PAGE && <Text size="sm">{t('users.paging', { count: users.data.length })}</Text>}
      <Text size="sm" c="gray.7">
        {t('users.noDelete')}
      </Text>
      <InviteUserForm />
    </Stack>
  );
}

function UsersTable({ users, labelledBy }: { users: IdentityUser[]; labelledBy: string }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<string | null>(null);
  const { api, subject } = useAdmin();
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (v: { id: string; patch: { enabled?: boolean; roles?: TenantRealmRole[] } }) => api.updateUser(v.id, v.patch),
    onSuccess: (user) => {
      queryClient.setQueryData<IdentityUser[]>(USERS_QUERY_KEY, (old) => old?.map((u) => (u.id === user.id ? user : u)));
      setEditing(null);
    },
  });

  return (
    <Stack gap="xs">
      <ProblemAlert error={update.error} onClose={() => update.reset()} />
      <Table.ScrollContainer minWidth={720}>
        <Table aria-labelledby={labelledBy} striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('users.username')}</Table.Th>
              <Table.Th scope="col">{t('users.email')}</Table.Th>
              <Table.Th scope="col">{t('users.roles')}</Table.Th>
              <Table.Th scope="col">{t('users.state')}</Table.Th>
              <Table.Th scope="col">{t('users.pending')}</Table.Th>
              <Table.Th scope="col">{t('users.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>{t('users.none')}</Table.Td>
              </Table.Tr>
            )}
            {users.map((u) => {
              const self = u.id === subject;
              const busy = update.isPending && update.variables?.id === u.id;
              return (
                <Table.Tr key={u.id}>
                  <Table.Th scope="row" fw="normal">
                    {u.username} {self && <Text span size="sm" c="gray.7">{t('users.you')}</Text>}
                  </Table.Th>
                  <Table.Td>{u.email ?? ''}</Table.Td>
                  <Table.Td>
                    {editing === u.id ? (
                      <RolesEditor
                        user={u}
                        busy={busy}
                        onCancel={() => setEditing(null)}
                        onSave={(roles) => update.mutate({ id: u.id, patch: { roles } })}
                      />
                    ) : (
                      <Group gap={4}>
                        {u.roles
                          .filter((r) => (TENANT_REALM_ROLES as readonly string[]).includes(r))
                          .map((r) => (
                            <Badge key={r} size="sm" variant="light" tt="none">
                              {t(`roles.${r}`, { defaultValue: r })}
                            </Badge>
                          ))}
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="dot" color={u.enabled ? 'green' : 'gray'} tt="none" miw="max-content">
                      {u.enabled ? t('users.enabled') : t('users.disabled')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {u.requiredActions.map((a) => (
                        <Badge key={a} size="sm" color="yellow" variant="dot" tt="none" miw="max-content">
                          {t(`requiredActions.${a}`, { defaultValue: a })}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button
                        size="xs"
                        variant="default"
                        loading={busy && update.variables?.patch.enabled !== undefined}
                        disabled={busy}
                        aria-label={u.enabled ? t('users.disableUser', { username: u.username }) : t('users.enableUser', { username: u.username })}
                        onClick={() => update.mutate({ id: u.id, patch: { enabled: !u.enabled } })}
                      >
                        {u.enabled ? t('users.disable') : t('users.enable')}
                      </Button>
                      {editing !== u.id && (
                        <Button size="xs" variant="default" aria-label={t('users.editRolesOf', { username: u.username })} onClick={() => setEditing(u.id)}>
                          {t('users.editRoles')}
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
      {update.isSuccess && (
        <Alert color="green" variant="light" role="status">
          {update.data.username}: {update.data.enabled ? t('users.enabled') : t('users.disabled')}
        </Alert>
      )}
    </Stack>
  );
}

/** Checkboxes of the tenant roles of one user, saved as the user's complete role set (`PATCH roles`). */
function RolesEditor({ user, busy, onSave, onCancel }: { user: IdentityUser; busy: boolean; onSave: (roles: TenantRealmRole[]) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [roles, setRoles] = useState<string[]>(user.roles.filter((r) => (TENANT_REALM_ROLES as readonly string[]).includes(r)));
  return (
    <Stack gap={4}>
      <Checkbox.Group label={t('users.rolesOf', { username: user.username })} value={roles} onChange={setRoles}>
        <Stack gap={4} mt={4}>
          {TENANT_REALM_ROLES.map((r) => (
            <Checkbox key={r} value={r} label={t(`roles.${r}`)} size="xs" />
          ))}
        </Stack>
      </Checkbox.Group>
      <Group gap={4}>
        <Button size="xs" color="blue.8" loading={busy} disabled={roles.length === 0} onClick={() => onSave(roles as TenantRealmRole[])}>
          {t('users.save')}
        </Button>
        <Button size="xs" variant="subtle" onClick={onCancel}>
          {t('users.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
