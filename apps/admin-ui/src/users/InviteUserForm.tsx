import { useId, useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { InvitedUser } from '../api/types.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { TemporaryPassword } from '../components/TemporaryPassword.js';
import { useAdmin } from '../context.js';
import { fieldErrors, InviteUserFormSchema, TENANT_REALM_ROLES, type InviteUserBody, type ValidationCode } from '../model/validation.js';
import { USERS_QUERY_KEY } from '../query-keys.js';

/**
 * "Invită utilizator": username, e-mail, roles (checkboxes), validated with {@link InviteUserFormSchema} before
 * sending `POST /v1/users`; then the temporary password, once, with a copy button. 409 `USER_EXISTS` is shown.
 */
export function InviteUserForm() {
  const { t } = useTranslation();
  const { api } = useAdmin();
  const queryClient = useQueryClient();
  const headingId = useId();
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<string[]>(['user']);
  const [errors, setErrors] = useState<Record<string, ValidationCode>>({});
  const [invited, setInvited] = useState<InvitedUser | null>(null);
  const invite = useMutation({
    mutationFn: (body: InviteUserBody) => api.inviteUser(body),
    onSuccess: (user) => {
      setInvited(user);
      setUsername('');
      setEmail('');
      setRoles(['user']);
      void queryClient.invalidateQueries({ queryKey: USERS_QUERY_KEY });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = InviteUserFormSchema.safeParse({ username, email, roles });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setErrors({});
    setInvited(null);
    invite.mutate(parsed.data);
  }

  const err = (field: string) => (errors[field] ? t(`validation.${errors[field]}`) : undefined);
  return (
    <Stack component="section" aria-labelledby={headingId} gap="sm">
      <Title order={2} id={headingId}>
        {t('invite.title')}
      </Title>
      <form aria-labelledby={headingId} onSubmit={submit} noValidate>
        <Stack gap="sm" maw={520}>
          <TextInput label={t('invite.username')} value={username} onChange={(e) => setUsername(e.currentTarget.value)} error={err('username')} required autoComplete="off" />
          <TextInput label={t('invite.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={err('email')} required autoComplete="off" />
          <Checkbox.Group label={t('invite.roles')} value={roles} onChange={setRoles} error={err('roles')} withAsterisk>
            <Group gap="md" mt={4}>
              {TENANT_REALM_ROLES.map((r) => (
                <Checkbox key={r} value={r} label={t(`roles.${r}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Group>
            <Button type="submit" color="blue.8" loading={invite.isPending}>
              {t('invite.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
      <ProblemAlert error={invite.error} onClose={() => invite.reset()} />
      {invited && (
        <TemporaryPassword
          label={t('invite.passwordLabel', { username: invited.username })}
          note={`${t('invite.done', { username: invited.username })} ${t('invite.passwordNote')}`}
          password={invited.temporaryPassword}
          onClose={() => setInvited(null)}
        />
      )}
    </Stack>
  );
}
