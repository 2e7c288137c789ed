import { Alert, Button, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * A temporary password shown once (it is in no cache and no query: closing this panel forgets it), in a
 * read-only labelled field with a copy button.
 */
export function TemporaryPassword({ label, note, password, onClose }: { label: string; note: string; password: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="yellow">
      <Stack gap="xs">
        <Group align="end">
          <TextInput label={label} value={password} readOnly styles={{ input: { fontFamily: 'monospace' } }} onFocus={(e) => e.currentTarget.select()} />
          <CopyButton value={password} timeout={2000}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy} aria-live="polite">
                {copied ? t('copied') : t('copy')}
              </Button>
            )}
          </CopyButton>
          <Button variant="subtle" onClick={onClose}>
            {t('close')}
          </Button>
        </Group>
        <Text size="sm">{note}</Text>
      </Stack>
    </Alert>
  );
}
