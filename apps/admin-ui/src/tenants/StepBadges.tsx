import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { StepState } from '../api/types.js';
import { provisioningSteps, stepColor } from '../model/steps.js';

/**
 * The saga steps of one tenant as small badges in saga order (`realm: reușit`), in a labelled list; a failed
 * step's reason is written under the badges (not in a tooltip, so it is readable with the keyboard too).
 */
export function StepBadges({ steps, label }: { steps: readonly StepState[] | undefined; label: string }) {
  const { t } = useTranslation();
  const shown = provisioningSteps(steps);
  return (
    <div>
      <Group gap={4} component="ul" aria-label={label} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {shown.map((s) => (
          <li key={s.step}>
            <Badge size="sm" variant="dot" color={stepColor(s.status)} tt="none">
              {t(`stepNames.${s.step}`, { defaultValue: s.step })}: {t(`stepStatus.${s.status}`)}
            </Badge>
          </li>
        ))}
      </Group>
      {shown
        .filter((s) => s.status === 'failed' && s.lastError)
        .map((s) => (
          <Text key={s.step} size="xs" c="red.9">
            {t(`stepNames.${s.step}`, { defaultValue: s.step })}: {s.lastError}
          </Text>
        ))}
    </div>
  );
}
