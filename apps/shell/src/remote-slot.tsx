import { Component, Suspense, lazy, useMemo, useState, type ErrorInfo, type ReactNode } from 'react';
import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RemoteAppProps, ShellModule } from '@cetate/shared-ui';
import { lastFailure, loadRemoteApp } from './federation.js';
import { moduleTitle } from './navigation.js';

interface BoundaryProps {
  fallback: (error: Error) => ReactNode;
  children: ReactNode;
}

/**
 * One per remote: an error while loading or rendering the remote stays inside its slot (React error
 * boundaries: https://react.dev/reference/react/Component#catching-rendering-errors-with-an-error-boundary).
 */
export class RemoteErrorBoundary extends Component<BoundaryProps, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('[shell] remote failed', error, info.componentStack);
  }

  override render(): ReactNode {
    return this.state.error ? this.props.fallback(this.state.error) : this.props.children;
  }
}

/** The fallback of a remote that is down: `role="alert"`, "Modulul nu este disponibil", button "Reîncearcă". */
export function RemoteUnavailable({ title, detail, onRetry }: { title: string; detail: string; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert role="alert" color="red" title={t('moduleUnavailable')} variant="light">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{t('moduleUnavailableHint', { title })}</Text>
        {detail && (
          <Text size="xs" c="gray.7">
            {t('details', { message: detail })}
          </Text>
        )}
        <Button onClick={onRetry} variant="filled" color="red">
          {t('retry')}
        </Button>
      </Stack>
    </Alert>
  );
}

/**
 * Mounts a module's remote `App` with its {@link RemoteAppProps}. Each retry makes a NEW `React.lazy`
 * component (lazy caches a rejected load forever) and re-registers the remote with the federation runtime
 * (drops its cached failure); the boundary is keyed by the attempt so it starts clean.
 */
export function RemoteSlot({ module, props }: { module: ShellModule; props: RemoteAppProps }) {
  const { t, i18n } = useTranslation();
  const [attempt, setAttempt] = useState(0);
  const RemoteApp = useMemo(() => lazy(() => loadRemoteApp(module, attempt > 0)), [module, attempt]);
  return (
    <RemoteErrorBoundary
      key={`${module.remote}:${attempt}`}
      fallback={(error) => (
        <RemoteUnavailable
          title={moduleTitle(module, i18n.language)}
          detail={lastFailure(module.remote)?.message ?? error.message}
          onRetry={() => setAttempt((n) => n + 1)}
        />
      )}
    >
      <Suspense
        fallback={
          <Center role="status" py="xl">
            <Loader size="sm" mr="sm" />
            <Text size="sm">{t('loadingModule')}</Text>
          </Center>
        }
      >
        <RemoteApp {...props} />
      </Suspense>
    </RemoteErrorBoundary>
  );
}
