import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '@cetate/shared-ui';
import { problemMessageKey } from '../api/problem.js';

/**
 * An error of an API call as an alert (`role="alert"`): the translated message of its problem code, the server's
 * detail and field errors, and the trace id to quote. Renders nothing for `null`.
 */
export function ProblemAlert({ error, onClose }: { error: unknown; onClose?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  const problem =
    error instanceof ApiProblem
      ? error.problem
      : { title: 'Error', status: 0, code: 'UNKNOWN', detail: error instanceof Error ? error.message : String(error) };
  return (
    <Alert color="red" role="alert" title={t(problemMessageKey(problem))} withCloseButton={!!onClose} onClose={onClose} closeButtonLabel={t('close')}>
      {problem.detail && <Text size="sm">{problem.detail}</Text>}
      {problem.errors?.map((e) => (
        <Text size="sm" key={`${e.path}:${e.message}`}>
          {e.path ? `${e.path}: ` : ''}
          {e.message}
        </Text>
      ))}
      {problem.traceId && !/^0+$/.test(problem.traceId) && (
        <Text size="xs">
          {t('traceId', { traceId: problem.traceId })}
        </Text>
      )}
    </Alert>
  );
}
