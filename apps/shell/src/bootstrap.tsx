import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '@mantine/core/styles.css';
import './shell.css';
import { Boot, currentTenantChoice } from './boot.js';
import { initI18n } from './i18n.js';

/** Shade 8 for filled controls: Mantine's default (6) puts white text under WCAG AA contrast (axe `color-contrast`). */
const theme = createTheme({ primaryShade: 8 });

/**
 * The shell's real entry, loaded by `index.tsx` behind an `import()` (the async boundary Module Federation
 * needs so the shared singletons are negotiated before React is first used).
 *
 * One `QueryClient` for the page: remotes share `@tanstack/react-query` as a singleton and may use it (or
 * their own provider inside their tree).
 */
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

function render(): void {
  const container = document.getElementById('root');
  if (!container) throw new Error('index.html has no #root element');
  createRoot(container).render(
    <StrictMode>
      <MantineProvider defaultColorScheme="light" theme={theme}>
        <QueryClientProvider client={queryClient}>
          <Boot choice={currentTenantChoice()} />
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}

void initI18n().then(render);
