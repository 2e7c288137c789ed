import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { stateColor } from '../lib/efactura-states.js';

/**
 * The e-Factura state as a badge; its text is the translated state name (`acceptată`), colour a hint only. The text
 * is in the body text colour so it keeps WCAG AA contrast (4.5:1) on the light tinted background (green's own text,
 * even shade 9, stayed near 4:1).
 */
export function StateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={stateColor(state)} c="var(--mantine-color-text)" variant="light" data-state={state}>
      {t(`states.${state}`, { defaultValue: state })}
    </Badge>
  );
}
