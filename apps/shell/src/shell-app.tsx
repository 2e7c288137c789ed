import { useMemo } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { Anchor, AppShell, Burger, Button, Group, Menu, NativeSelect, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { RemoteAppProps, ShellManifest, ShellModule } from '@cetate/shared-ui';
import type { Session } from './auth.js';
import { LOCALES, type Locale } from './i18n.js';
import { landingPath, moduleTitle, routePattern, visibleModules } from './navigation.js';
import { RemoteSlot } from './remote-slot.js';

/**
 * The logged-in shell: header (tenant, language switch, user menu with "Deconectare"), the navigation built
 * from the manifest × the user's realm roles, and one route per visible module with its remote mounted under
 * the module's `path`. `/` redirects to the first visible module.
 */
export function ShellApp({ manifest, session }: { manifest: ShellManifest; session: Session }) {
  const { t, i18n } = useTranslation();
  const [navOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const { pathname } = useLocation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'ro';
  const modules = useMemo(() => visibleModules(manifest, session.roles), [manifest, session.roles]);
  const landing = landingPath(modules);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="md">
      <a className="cetate-skip-link" href="#continut">
        {t('skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpen} onClick={toggleNav} hiddenFrom="sm" size="sm" aria-label={t('toggleNavigation')} />
            <Text fw={700}>Cetate</Text>
            <Text c="gray.7" truncate>
              {manifest.tenant.displayName}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <NativeSelect
              aria-label={t('language')}
              size="xs"
              value={locale}
              data={LOCALES.map((l) => ({ value: l.value, label: l.label }))}
              onChange={(event) => void i18n.changeLanguage(event.currentTarget.value)}
            />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button variant="subtle" size="sm">
                  {session.username}
                </Button>
              </Menu.Target>
              <Menu.Dropdown aria-label={t('userMenu', { username: session.username })}>
                <Menu.Item onClick={() => void session.logout()}>{t('logout')}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('navigation')}>
        {modules.map((m) => {
          const active = pathname === m.path || pathname.startsWith(`${m.path.replace(/\/+$/, '')}/`);
          return (
            <NavLink
              key={m.name}
              component={Link}
              to={m.path}
              label={moduleTitle(m, locale)}
              active={active}
              // filled (white on blue.8, 7.9:1): the light variant's blue on light blue fails WCAG AA contrast
              variant="filled"
              aria-current={active ? 'page' : undefined}
              onClick={closeNav}
            />
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main id="continut" tabIndex={-1}>
        <Routes>
          <Route
            index
            element={landing ? <Navigate to={landing} replace /> : <Text role="status">{t('noModules')}</Text>}
          />
          {modules.map((m) => (
            <Route key={m.name} path={routePattern(m)} element={<ModuleRoute module={m} manifest={manifest} session={session} locale={locale} />} />
          ))}
          <Route path="*" element={<NotFound />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}

function ModuleRoute({ module, manifest, session, locale }: { module: ShellModule; manifest: ShellManifest; session: Session; locale: Locale }) {
  const props = useMemo<RemoteAppProps>(
    () => ({
      basePath: module.path,
      apiBase: module.apiBase,
      getToken: session.getToken,
      roles: session.roles,
      locale,
      tenant: manifest.tenant,
    }),
    [module, session, locale, manifest.tenant],
  );
  return <RemoteSlot module={module} props={props} />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start">
      <Title order={1} size="h3">
        {t('notFound')}
      </Title>
      <Anchor component={Link} to="/">
        {t('backHome')}
      </Anchor>
    </Stack>
  );
}
