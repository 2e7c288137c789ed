/**
 * Import screen: a UBL 2.1 Invoice/CreditNote XML dropped on the zone (drag and drop) or chosen with the file
 * input → `POST /v1/invoices/import` (`application/xml`, ≤ 10 MB, ANAF's upload limit) → the invoice's detail, which
 * lists the import answer's local findings (`validation`, router state {@link ImportedState}) while the draft is not
 * sent. 400 `UBL_MALFORMED` / `UBL_UNKNOWN_ROOT` / `XML_*` (nothing stored) are shown as problems.
 */
import { useState, type DragEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Anchor, Button, FileButton, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useInvoicing } from '../context.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import type { ValidationResultView } from '@cetate/invoicing-contracts';

/** Router state the import hands to the detail: the local validation of the version it stored. */
export interface ImportedState {
  version: number;
  validation?: ValidationResultView;
}

/** ANAF's upload limit and invoicing-api's import limit (README "HTTP API of invoicing-api"). */
export const MAX_XML_BYTES = 10 * 1024 * 1024;

export function InvoiceImport() {
  const { api, basePath } = useInvoicing();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [over, setOver] = useState(false);
  const [tooLarge, setTooLarge] = useState(false);
  const upload = useMutation({
    mutationFn: (file: File) => api.importXml(file),
    onSuccess: (inv) => {
      void queryClient.invalidateQueries({ queryKey: ['invoices'] });
      navigate(`${basePath}/${inv.id}`, { state: { version: inv.version, validation: inv.validation } satisfies ImportedState });
    },
  });
  const take = (file: File | null | undefined) => {
    if (!file) return;
    setTooLarge(file.size > MAX_XML_BYTES);
    if (file.size > MAX_XML_BYTES) return;
    upload.mutate(file);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer.files[0]);
  };

  return (
    <Stack gap="md">
      <Anchor component={Link} to={basePath}>{t('detail.back')}</Anchor>
      <Title order={1}>{t('import.title')}</Title>
      <Paper
        withBorder
        p="xl"
        data-testid="xml-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        style={{ borderStyle: 'dashed', borderWidth: 2, background: over ? 'var(--mantine-color-blue-light)' : undefined, textAlign: 'center' }}
      >
        <Stack align="center" gap="sm">
          <Text>{t('import.drop')}</Text>
          <FileButton onChange={take} accept="application/xml,text/xml,.xml">
            {(props) => (
              <Button {...props} loading={upload.isPending}>
                {t('import.choose')}
              </Button>
            )}
          </FileButton>
          {upload.isPending && upload.variables && <Text size="sm" role="status">{t('import.uploading', { name: upload.variables.name })}</Text>}
        </Stack>
      </Paper>
      {tooLarge && <Alert color="red" role="alert">{t('import.tooLarge')}</Alert>}
      {upload.error && <ProblemAlert error={upload.error} />}
    </Stack>
  );
}
