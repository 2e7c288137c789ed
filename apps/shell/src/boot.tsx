import { useCallback, useEffect, useState } from 'react';
import { BrowserRouter } from 'react-router';
import { Alert, Anchor, Button, Center, Container, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ShellManifest } from '@cetate/shared-ui';
import { login, type Session } from './auth.js';
import { registerModules } from './federation.js';
import { fetchManifest, ManifestError } from './manifest.js';
import { ShellApp } from './shell-app.js';
import { tenantFromLocation, tenantPickerUrl, type TenantChoice } from './tenant.js';
import { TenantPicker } from './tenant-picker.js';

type BootState =
  | { step: 'loading' }
  | { step: 'failed'; messageKey: string; detail: string; slug: string }
  | { step: 'ready'; manifest: ShellManifest; session: Session };

/**
 * The shell's boot sequence (issue 6): tenant from the location → manifest from the platform → keycloak-js
 * login to the manifest's realm → remotes registered with the federation runtime → the shell. Without a tenant,
 * the tenant picker; when the manifest or the login fails, an alert with a retry.
 */
export function Boot({ choice }: { choice: TenantChoice }) {
  if (choice.slug === null) return <TenantPicker />;
  return <BootTenant slug={choice.slug} />;
}

function BootTenant({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<BootState>({ step: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => {
    setState({ step: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  useEffect(() => {
    let cancelled = false;
    void bootOnce(slug, attempt).then((next) => {
      if (!cancelled) setState(next);
    });
    return () => {
      cancelled = true;
    };
  }, [slug, attempt]);

  useEffect(() => {
    if (state.step === 'ready') document.title = `${state.manifest.tenant.displayName} · Cetate`;
  }, [state]);

  if (state.step === 'loading') {
    return (
      <Center h="100vh" role="status">
        <Loader size="sm" mr="sm" />
        <Text>{t('loadingApp')}</Text>
      </Center>
    );
  }
  if (state.step === 'failed') {
    return (
      <Container size="sm" py="xl" component="main">
        <Alert role="alert" color="red" title={t(state.messageKey, { slug: state.slug })}>
          <Stack gap="sm" align="flex-start">
            <Text size="xs" c="gray.7">
              {t('details', { message: state.detail })}
            </Text>
            <Button onClick={retry}>{t('retry')}</Button>
            {state.messageKey === 'tenantNotFound' && <Anchor href={tenantPickerUrl(window.location.href)}>{t('chooseOtherTenant')}</Anchor>}
          </Stack>
        </Alert>
      </Container>
    );
  }
  return (
    <BrowserRouter>
      <ShellApp manifest={state.manifest} session={state.session} />
    </BrowserRouter>
  );
}

/**
 * One boot per (tenant, attempt), shared by effect re-runs: React's StrictMode runs effects twice in development,
 * and a second keycloak-js `init` would try to redeem the same authorization code again.
 */
const boots = new Map<string, Promise<BootState>>();
function bootOnce(slug: string, attempt: number): Promise<BootState> {
  const key = `${slug}#${attempt}`;
  let boot = boots.get(key);
  if (!boot) {
    boot = boot_(slug);
    boots.set(key, boot);
  }
  return boot;
}

async function boot_(slug: string): Promise<BootState> {
  let manifest: ShellManifest;
  try {
    manifest = await fetchManifest(slug);
  } catch (error) {
    const code = error instanceof ManifestError ? error.code : 'MANIFEST_UNAVAILABLE';
    const messageKey =
      code === 'TENANT_NOT_FOUND' ? 'tenantNotFound' : code === 'MANIFEST_INVALID' ? 'manifestInvalid' : 'platformUnavailable';
    return { step: 'failed', messageKey, detail: (error as Error).message, slug };
  }
  let session: Session;
  try {
    session = await login(manifest.identity);
  } catch (error) {
    return { step: 'failed', messageKey: 'loginFailed', detail: (error as Error).message, slug };
  }
  registerModules(manifest.modules);
  return { step: 'ready', manifest, session };
}

/** The choice for this page's location. */
export function currentTenantChoice(): TenantChoice {
  return tenantFromLocation(window.location.hostname, window.location.search);
}
