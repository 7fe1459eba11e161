import type { FlowTrigger, ScheduleSpec } from '../../api/types';
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

export const defaultScheduleTrigger = (): ScheduleTriggerValue => ({ kind: 'schedule', schedule: { at: '09:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }, missed: 'skip' });

/** A schedule: a time on chosen weekdays, or every N minutes/hours; its time zone and what to do with a missed run. */
export function ScheduleTriggerForm({ trigger, onChange }: { trigger: ScheduleTriggerValue; onChange: (next: FlowTrigger) => void }) {
  const schedule = trigger.schedule;
  const mode = 'every' in schedule ? schedule.every : 'at';
  const set = (next: ScheduleSpec) => onChange({ ...trigger, schedule: next });
  return (
    <div class="form-grid">
      <Field label="Runs">
        {({ id }) => (
          <select id={id} class="select" value={mode} onChange={(event) => {
            const value = event.currentTarget.value;
            set(value === 'at' ? { at: '09:00' } : value === 'minutes' ? { every: 'minutes', interval: 15 } : { every: 'hours', interval: 1 });
          }}>
            <option value="at">At a time of day</option>
            <option value="minutes">Every few minutes</option>
            <option value="hours">Every few hours</option>
          </select>
        )}
      </Field>
      {'every' in schedule ? (
        <Field label="Interval" hint="At least 5 minutes apart.">
          {({ id, describedBy }) => (
            <select id={id} class="select" aria-describedby={describedBy} value={String(schedule.interval)} onChange={(event) => set({ every: schedule.every, interval: Number(event.currentTarget.value) } as ScheduleSpec)}>
              {(schedule.every === 'minutes' ? MINUTES : HOURS).map((n) => (
                <option key={n} value={String(n)}>{`${n} ${schedule.every}`}</option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <>
          <Field label="Time" required>
            {({ id }) => <input id={id} class="input" type="time" value={schedule.at} onInput={(event) => set({ ...schedule, at: event.currentTarget.value })} />}
          </Field>
          <div class="event-grid" role="group" aria-label="Days">
            {DAYS.map(([day, label]) => {
              const days = schedule.days ?? DAYS.map(([d]) => d);
              const checked = days.includes(day);
              return (
                <label key={day} class={`event-option${checked ? ' is-checked' : ''}`}>
                  <input type="checkbox" checked={checked} onChange={() => set({ at: schedule.at, days: checked ? days.filter((d) => d !== day) : DAYS.map(([d]) => d).filter((d) => d === day || days.includes(d)) })} />
                  <span>{label}</span>
                </label>
              );
            })}
          </div>
        </>
      )}
      <Field label="Time zone" hint="An IANA name such as Europe/Berlin; empty means UTC.">
        {({ id, describedBy }) => (
          <input id={id} class="input" aria-describedby={describedBy} value={trigger.timeZone ?? ''} onInput={(event) => {
            const { timeZone: _old, ...rest } = trigger;
            const value = event.currentTarget.value.trim();
            onChange(value ? { ...rest, timeZone: value } : rest);
          }} />
        )}
      </Field>
      <Field label="If a run was missed" hint="When no instance was running at the time.">
        {({ id, describedBy }) => (
          <select id={id} class="select" aria-describedby={describedBy} value={trigger.missed ?? 'skip'} onChange={(event) => onChange({ ...trigger, missed: event.currentTarget.value as 'run-once' | 'skip' })}>
            <option value="skip">Skip it</option>
            <option value="run-once">Run once when back</option>
          </select>
        )}
      </Field>
    </div>
  );
}
