import { useEffect, useId, useState, type FormEvent } from 'react';
import { Alert, Button, Group, Loader, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '@cetate/shared-ui';
import type { CreateTenantResult, TenantView } from '../api/types.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { TemporaryPassword } from '../components/TemporaryPassword.js';
import { useAdmin } from '../context.js';
import { CreateTenantFormSchema, fieldErrors, type CreateTenantBody, type ValidationCode } from '../model/validation.js';
import { TENANTS_QUERY_KEY, tenantQueryKey } from '../query-keys.js';
import { StepBadges } from './StepBadges.js';

/**
 * "Companie nouă": slug, name, CIF, admin e-mail (and optional admin username), validated with
 * {@link CreateTenantFormSchema} (slug pattern, reserved slugs, CIF control digit) before `POST /v1/tenants`.
 *
 * The POST runs the whole saga before it answers (seconds), so while it runs the form polls
 * `GET /v1/tenants/:slug` every 0.5 s and shows each step as the saga records it (404 until the tenant is
 * registered: all steps pending). After the answer it shows `tenant.steps` and the first admin's temporary
 * password once; after 502 `PROVISIONING_STEP_FAILED` the failed step and its reason (sending again resumes).
 */
export function CreateTenantForm({ onRunningChange }: { onRunningChange: (running: boolean) => void }) {
  const { t } = useTranslation();
  const { api } = useAdmin();
  const queryClient = useQueryClient();
  const headingId = useId();
  const progressId = useId();
  const [form, setForm] = useState({ slug: '', displayName: '', cif: '', adminEmail: '', adminUsername: '' });
  const [errors, setErrors] = useState<Record<string, ValidationCode>>({});
  const [password, setPassword] = useState<CreateTenantResult['firstAdmin'] | null>(null);
  const [slug, setSlug] = useState<string | null>(null);

  const create = useMutation({
    mutationFn: (body: CreateTenantBody) => api.createTenant(body),
    onSuccess: (result) => {
      queryClient.setQueryData(tenantQueryKey(result.tenant.slug), result.tenant);
      setPassword(result.firstAdmin ?? null);
    },
    // the saga recorded the failed step and its reason: read them once more
    onError: (_err, body) => void queryClient.invalidateQueries({ queryKey: tenantQueryKey(body.slug) }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: TENANTS_QUERY_KEY }),
  });
  useEffect(() => onRunningChange(create.isPending), [create.isPending, onRunningChange]);

  // Live steps: polled while the POST runs, fetched once after a failure, taken from the answer on success.
  const live = useQuery({
    queryKey: tenantQueryKey(slug ?? ''),
    enabled: slug !== null && !create.isSuccess,
    queryFn: async (): Promise<TenantView | null> => {
      try {
        return await api.getTenant(slug!);
      } catch (err) {
        if (err instanceof ApiProblem && err.status === 404) return null;
        throw err;
      }
    },
    refetchInterval: create.isPending ? 500 : false,
    retry: false,
  });
  const steps = create.data?.tenant.steps ?? live.data?.steps;

  function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = CreateTenantFormSchema.safeParse({
      slug: form.slug,
      displayName: form.displayName,
      cif: form.cif,
      admin: { email: form.adminEmail, username: form.adminUsername },
    });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setErrors({});
    setPassword(null);
    setSlug(parsed.data.slug);
    create.mutate(parsed.data);
  }

  const err = (field: string) => (errors[field] ? t(`validation.${errors[field]}`) : undefined);
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      const value = e.currentTarget.value;
      setForm((f) => ({ ...f, [name]: value }));
    },
  });

  return (
    <Stack component="section" aria-labelledby={headingId} gap="sm">
      <Title order={2} id={headingId}>
        {t('create.title')}
      </Title>
      <form aria-labelledby={headingId} onSubmit={submit} noValidate>
        <Stack gap="sm" maw={520}>
          <TextInput label={t('create.slug')} description={t('create.slugHint')} styles={{ description: { color: 'var(--mantine-color-gray-7)' } }} {...field('slug')} error={err('slug')} required autoComplete="off" />
          <TextInput label={t('create.displayName')} {...field('displayName')} error={err('displayName')} required autoComplete="off" />
          <TextInput label={t('create.cif')} {...field('cif')} error={err('cif')} required autoComplete="off" />
          <TextInput label={t('create.adminEmail')} type="email" {...field('adminEmail')} error={err('admin.email')} required autoComplete="off" />
          <TextInput label={t('create.adminUsername')} {...field('adminUsername')} error={err('admin.username')} autoComplete="off" />
          <Group>
            <Button type="submit" color="blue.8" loading={create.isPending}>
              {t('create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
      {slug && (
        <Stack gap="xs" aria-live="polite">
          <Title order={3} size="h5" id={progressId}>
            {t('create.progress', { slug })}
          </Title>
          {create.isPending && (
            <Group gap="xs">
              <Loader size="xs" aria-hidden />
              {t('create.running', { slug })}
            </Group>
          )}
          <StepBadges steps={steps} label={t('create.progress', { slug })} />
          {create.isSuccess && (
            <Alert color="green" role="status">
              {t('create.done', { slug: create.data.tenant.slug })}
              {!create.data.firstAdmin && ` ${t('create.noPassword')}`}
            </Alert>
          )}
          {create.isError && (
            <>
              <ProblemAlert error={create.error} />
              {create.error instanceof ApiProblem && create.error.code === 'PROVISIONING_STEP_FAILED' && <Alert color="gray">{t('create.failed', { slug })}</Alert>}
            </>
          )}
        </Stack>
      )}
      {password && (
        <TemporaryPassword
          label={t('create.passwordLabel', { username: password.username })}
          note={t('create.passwordNote')}
          password={password.temporaryPassword}
          onClose={() => setPassword(null)}
        />
      )}
    </Stack>
  );
}
