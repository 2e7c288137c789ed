import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { stateColor } from '../lib/efactura-states.js';

/** The e-Factura state as a badge; its text is the translated state name (`acceptată`), colour a hint only. */
export function StateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={stateColor(state)} variant="light" data-state={state}>
      {t(`states.${state}`, { defaultValue: state })}
    </Badge>
  );
}
