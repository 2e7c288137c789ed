/**
 * The table of validation findings and ANAF messages, one row each: rule id, severity, the invoice fields concerned
 * (the finding's EN 16931 `terms`, else the BT-/BG- ids its text names), the text in the user's language (`ro`/`en` of a
 * local finding, else ANAF's message as it came), and the line:column of the element in the XML when known. Used by
 * the detail (the version's messages, the findings of an import or a correction just made).
 */
import type { ReactNode } from 'react';
import { Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { EfacturaOutcomeView } from '@cetate/invoicing-contracts';
import { fieldsOfMessage } from '../lib/business-terms.js';

/** A row: a message of `efactura.messages` or a finding of `validation.findings` (both fit). */
export type FindingRow = EfacturaOutcomeView['messages'][number];

/** The text of a row in `locale`: the local validator's `ro`/`en`, else the message as ANAF wrote it. */
export function findingText(m: FindingRow, locale: 'ro' | 'en'): string {
  return (locale === 'ro' ? m.ro : m.en) || m.message;
}

/** `line:column` (or `line`) of a row, `—` when the position is unknown. */
export function findingPosition(m: FindingRow): string {
  if (m.line === undefined) return '—';
  return m.column === undefined ? String(m.line) : `${m.line}:${m.column}`;
}

/** Rows under the headers Rule / Kind / Field / Message / Line; `extraRows` (e.g. rule ids without a message) follow. */
export function ValidationFindings({ rows, locale, extraRows, caption }: { rows: readonly FindingRow[]; locale: 'ro' | 'en'; extraRows?: ReactNode; caption?: string }) {
  const { t } = useTranslation();
  return (
    <Table>
      {caption && <Table.Caption>{caption}</Table.Caption>}
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('detail.ruleId')}</Table.Th>
          <Table.Th scope="col">{t('detail.flag')}</Table.Th>
          <Table.Th scope="col">{t('detail.field')}</Table.Th>
          <Table.Th scope="col">{t('detail.message')}</Table.Th>
          <Table.Th scope="col">{t('detail.line')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((m, k) => (
          <Table.Tr key={k} data-rule-id={m.ruleId ?? undefined}>
            <Table.Td><code>{m.ruleId ?? '—'}</code></Table.Td>
            <Table.Td>{m.flag}</Table.Td>
            <Table.Td data-testid="message-fields">
              {fieldsOfMessage(m.terms?.length ? m.terms.join(' ') : m.message, locale).map((f) => `${f.label} (${f.term})`).join(', ') || '—'}
            </Table.Td>
            <Table.Td>
              {findingText(m, locale)}
              {m.xpath && <><br /><code style={{ fontSize: 11, overflowWrap: 'anywhere' }}>{m.xpath}</code></>}
            </Table.Td>
            <Table.Td>{findingPosition(m)}</Table.Td>
          </Table.Tr>
        ))}
        {extraRows}
      </Table.Tbody>
    </Table>
  );
}
