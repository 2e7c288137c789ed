import { Alert, Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../lib/problem.js';

/**
 * An API failure as an alert (`role="alert"`): the problem's title, detail, code and trace id (to quote when
 * reporting), with an optional retry button.
 */
export function ProblemAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const p = error instanceof ApiProblem ? error.problem : undefined;
  return (
    <Alert color="red" title={p?.title ?? t('error.title')} role="alert">
      <Text size="sm">{p ? (p.detail ?? p.code) : error instanceof Error ? error.message : String(error)}</Text>
      {p && (
        <Text size="xs" c="dimmed">
          {p.code}
          {p.traceId ? ` · ${t('error.trace', { traceId: p.traceId })}` : ''}
        </Text>
      )}
      {onRetry && (
        <Button size="xs" variant="light" mt="xs" onClick={onRetry}>
          {t('error.retry')}
        </Button>
      )}
    </Alert>
  );
}
