import { useState, type FormEvent } from 'react';
import { Button, Container, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { TENANT_SLUG_PATTERN, tenantShellUrl } from './tenant.js';

/**
 * Shown when the page names no tenant (not `<slug>.localhost`, no `?tenant=`): a one-field form; submitting
 * goes to the tenant's shell URL ({@link tenantShellUrl}).
 */
export function TenantPicker({ initial = '' }: { initial?: string }) {
  const { t } = useTranslation();
  const [slug, setSlug] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = slug.trim().toLowerCase();
    if (!TENANT_SLUG_PATTERN.test(value)) {
      setError(t('pickerInvalid'));
      return;
    }
    window.location.assign(tenantShellUrl(window.location.href, value));
  };
  return (
    <Container size="xs" py="xl" component="main">
      <Paper withBorder p="lg">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h3">
              {t('pickerTitle')}
            </Title>
            <TextInput
              label={t('pickerLabel')}
              description={t('pickerDescription')}
              value={slug}
              onChange={(event) => {
                setSlug(event.currentTarget.value);
                setError(null);
              }}
              error={error}
              autoComplete="organization"
              autoCapitalize="none"
              spellCheck={false}
              required
              data-autofocus
            />
            <Button type="submit">{t('pickerSubmit')}</Button>
          </Stack>
        </form>
      </Paper>
    </Container>
  );
}
