import { useEffect, useState } from 'preact/hooks';
import type { FlowTrigger, ScheduleSpec } from '../../api/types';
import { useApp } from '../../app-context';
import { useResource } from '../../hooks/use-resource';
import { Field } from '../../ui/field';

type ScheduleTriggerValue = Extract<FlowTrigger, { kind: 'schedule' }>;

const DAYS = [
  ['mon', 'Mon'],
  ['tue', 'Tue'],
  ['wed', 'Wed'],
  ['thu', 'Thu'],
  ['fri', 'Fri'],
  ['sat', 'Sat'],
  ['sun', 'Sun'],
] as const;
// The server accepts only these (at least 5 minutes apart, on the same clock marks every day): docs/flows.md, "Schedules".
const MINUTES = [5, 6, 10, 12, 15, 20, 30];
const HOURS = [1, 2, 3, 4, 6, 8, 12];

export const defaultScheduleTrigger = (): ScheduleTriggerValue => ({
  kind: 'schedule',
  schedule: { at: '09:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
  missed: 'skip',
});

/** A schedule: a time on chosen weekdays, or every N minutes/hours; its time zone and what to do with a missed run. */
export function ScheduleTriggerForm({ trigger, onChange }: { trigger: ScheduleTriggerValue; onChange: (next: FlowTrigger) => void }) {
  const schedule = trigger.schedule;
  const mode = 'cron' in schedule ? 'cron' : 'every' in schedule ? schedule.every : 'at';
  const set = (next: ScheduleSpec) => onChange({ ...trigger, schedule: next });
  return (
    <div class="form-grid">
      <Field label="Runs">
        {({ id }) => (
          <select
            id={id}
            class="select"
            value={mode}
            onChange={(event) => {
              const value = event.currentTarget.value;
              set(
                value === 'at'
                  ? { at: '09:00' }
                  : value === 'minutes'
                    ? { every: 'minutes', interval: 15 }
                    : value === 'cron'
                      ? { cron: '0 17 * * 1-5' }
                      : { every: 'hours', interval: 1 },
              );
            }}
          >
            <option value="at">At a time of day</option>
            <option value="minutes">Every few minutes</option>
            <option value="hours">Every few hours</option>
            <option value="cron">Custom (cron)</option>
          </select>
        )}
      </Field>
      {'cron' in schedule ? (
        <CronField cron={schedule.cron} timeZone={trigger.timeZone} onChange={(cron) => set({ cron })} />
      ) : 'every' in schedule ? (
        <Field label="Interval" hint="At least 5 minutes apart.">
          {({ id, describedBy }) => (
            <select
              id={id}
              class="select"
              aria-describedby={describedBy}
              value={String(schedule.interval)}
              onChange={(event) => set({ every: schedule.every, interval: Number(event.currentTarget.value) } as ScheduleSpec)}
            >
              {(schedule.every === 'minutes' ? MINUTES : HOURS).map((n) => (
                <option key={n} value={String(n)}>{`${n} ${schedule.every}`}</option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <>
          <Field label="Time" required>
            {({ id }) => (
              <input
                id={id}
                class="input"
                type="time"
                value={schedule.at}
                onInput={(event) => set({ ...schedule, at: event.currentTarget.value })}
              />
            )}
          </Field>
          <div class="event-grid" role="group" aria-label="Days">
            {DAYS.map(([day, label]) => {
              const days = schedule.days ?? DAYS.map(([d]) => d);
              const checked = days.includes(day);
              return (
                <label key={day} class={`event-option${checked ? ' is-checked' : ''}`}>
                  <input
                    type="checkbox"
                    checked={checked}
                    onChange={() =>
                      set({
                        at: schedule.at,
                        days: checked ? days.filter((d) => d !== day) : DAYS.map(([d]) => d).filter((d) => d === day || days.includes(d)),
                      })
                    }
                  />
                  <span>{label}</span>
                </label>
              );
            })}
          </div>
        </>
      )}
      <Field
        label="Time zone"
        hint="An IANA name such as Europe/Berlin; empty means the workspace's (filled in when you save; UTC if Clockify names none)."
      >
        {({ id, describedBy }) => (
          <input
            id={id}
            class="input"
            aria-describedby={describedBy}
            value={trigger.timeZone ?? ''}
            onInput={(event) => {
              const { timeZone: _old, ...rest } = trigger;
              const value = event.currentTarget.value.trim();
              onChange(value ? { ...rest, timeZone: value } : rest);
            }}
          />
        )}
      </Field>
      <Field label="If a run was missed" hint="When no instance was running at the time.">
        {({ id, describedBy }) => (
          <select
            id={id}
            class="select"
            aria-describedby={describedBy}
            value={trigger.missed ?? 'skip'}
            onChange={(event) => onChange({ ...trigger, missed: event.currentTarget.value as 'run-once' | 'skip' })}
          >
            <option value="skip">Skip it</option>
            <option value="run-once">Run once when back</option>
          </select>
        )}
      </Field>
    </div>
  );
}

/** A cron expression with the next three occurrences, computed by the server as it will run them. */
function CronField({ cron, timeZone, onChange }: { cron: string; timeZone?: string; onChange: (cron: string) => void }) {
  const { api } = useApp();
  // Asked once typing pauses: each preview counts against the member's cost budget.
  const [settled, setSettled] = useState(cron);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(cron), 400);
    return () => clearTimeout(timer);
  }, [cron]);
  const preview = useResource(
    (signal) =>
      api.get<{ cron: string; timeZone: string; occurrences: string[] }>('/ui/flows/schedule/preview', {
        query: { cron: settled, timeZone: timeZone || undefined },
        signal,
      }),
    [settled, timeZone],
  );
  return (
    <Field
      label="Cron"
      required
      hint="minute hour day-of-month month day-of-week, e.g. 0 17 * * 1-5 (weekdays at 17:00) or */15 * * * *; at least 5 minutes apart."
    >
      {({ id, describedBy }) => (
        <div>
          <input
            id={id}
            class="input mono"
            aria-describedby={describedBy}
            value={cron}
            onInput={(event) => onChange(event.currentTarget.value)}
          />
          <div class="cron-preview" aria-live="polite" data-testid="cron-preview">
            {preview.error ? (
              <span class="field-error">{preview.error.detail}</span>
            ) : preview.data ? (
              <>
                <span>Next runs ({preview.data.timeZone}):</span>
                <ul>
                  {preview.data.occurrences.map((at) => (
                    <li key={at}>
                      {new Date(at).toLocaleString(undefined, {
                        timeZone: preview.data!.timeZone,
                        weekday: 'short',
                        year: 'numeric',
                        month: 'short',
                        day: 'numeric',
                        hour: '2-digit',
                        minute: '2-digit',
                      })}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </div>
        </div>
      )}
    </Field>
  );
}
