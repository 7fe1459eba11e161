import type { WaitStep } from '../../../../api/types';
import { uniqueActionId } from '../../../../lib/flow-draft';
import { FLOW_LIMITS } from '../../../../lib/flow-constants';
import type { StepKindInfo } from '../types';

const UNITS = ['days', 'hours', 'minutes'] as const;

/** The wait in minutes, or undefined when it waits until a time. */
export function waitMinutes(step: WaitStep): number | undefined {
  if (!step.for) return undefined;
  return (step.for.days ?? 0) * 1440 + (step.for.hours ?? 0) * 60 + (step.for.minutes ?? 0);
}

export const waitKind: StepKindInfo<'wait'> = {
  kind: 'wait',
  label: 'Wait',
  icon: 'clock',
  description: 'Pause the run for a while or until a time; it resumes even after a restart.',
  blank: (taken) => ({ id: uniqueActionId('wait', taken), kind: 'wait', for: { hours: 1 } }),
  summary: (step) => {
    if (step.until !== undefined) return `Wait until ${step.until || '…'}`;
    const parts = UNITS.flatMap((unit) =>
      step.for?.[unit] ? [`${step.for[unit]} ${step.for[unit] === 1 ? unit.slice(0, -1) : unit}`] : [],
    );
    return `Wait ${parts.join(' ') || '…'}`;
  },
  problems: (step) => {
    if (step.until !== undefined) return step.until.trim() ? [] : ['give the time to wait until.'];
    const minutes = waitMinutes(step) ?? 0;
    if (minutes <= 0) return ['wait at least one minute.'];
    return minutes > FLOW_LIMITS.waitDays * 1440 ? [`wait at most ${FLOW_LIMITS.waitDays} days.`] : [];
  },
};
