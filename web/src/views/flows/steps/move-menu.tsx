import { createContext } from 'preact';
import { useContext, useRef } from 'preact/hooks';
import type { FlowStep } from '../../../api/types';
import { destinations, locate, moveStep } from './moves';

/** The whole flow's steps, so a card can move its step into or out of another list. */
export const StepTreeContext = createContext<{ steps: FlowStep[]; onChange(next: FlowStep[]): void } | null>(null);

/**
 * "Move to…" on a card: a menu of buttons, one per list the step fits in (into a branch's or loop's
 * list, at its end; or out to an enclosing list, right after the step holding it). Focus follows
 * the step to its new card.
 */
export function MoveMenu({ step, title }: { step: FlowStep; title: string }) {
  const tree = useContext(StepTreeContext);
  const details = useRef<HTMLDetailsElement>(null);
  const choices = tree ? destinations(tree.steps, step) : [];
  if (!tree || choices.length === 0) return null;
  return (
    <details class="add-step move-step" ref={details}>
      <summary class="btn btn-sm" aria-label={`Move ${title} to another list`} data-move={step.id}>
        Move to…
      </summary>
      <ul class="add-step-menu">
        {choices.map((to) => (
          <li key={to.label}>
            <button
              type="button"
              class="add-step-choice"
              onClick={() => {
                if (details.current) details.current.open = false;
                tree.onChange(moveStep(tree.steps, locate(tree.steps, step)!, to));
                window.setTimeout(() => document.querySelector<HTMLElement>(`[data-move="${step.id}"]`)?.focus(), 0);
              }}
            >
              {to.out ? `Out to ${to.label}, after ${to.after}` : `Into ${to.label}`}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
