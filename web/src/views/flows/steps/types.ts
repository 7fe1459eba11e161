import type { ComponentType } from 'preact';
import type { FlowStep } from '../../../api/types';
import type { StepKind } from '../../../lib/flow-constants';
import type { IconName } from '../../../ui/icons';

export type StepOf<K extends StepKind> = Extract<FlowStep, { kind: K }>;

/** A list of steps a step holds (a branch's "then"/"otherwise", a loop's body). */
export interface NestedList {
  key: string;
  /** What people read above the list, e.g. "Then". */
  label: string;
}

/**
 * What the sidebar knows about one step kind, without its form: enough to offer it, create it,
 * name it in a list and check it before saving. Pure data and functions (unit-tested in node).
 */
export interface StepKindInfo<K extends StepKind = StepKind> {
  kind: K;
  label: string;
  icon: IconName;
  description: string;
  /** A new step of this kind; `taken` are the ids already used in the flow. */
  blank(taken: readonly string[]): StepOf<K>;
  /** One line for the step's card header. */
  summary(step: StepOf<K>): string;
  /** What must be fixed before saving (the server stays the authority). */
  problems(step: StepOf<K>): string[];
  /** Step lists held by this kind. */
  nested?: NestedList[];
}

export type Validity = (key: string, error: string | null) => void;

/** Renders a nested list of steps; handed to editors so kinds do not import the list (no cycle). */
export type StepListComponent = ComponentType<{ steps: FlowStep[]; onChange: (next: FlowStep[]) => void; title: string; label: string }>;

export interface StepEditorProps<K extends StepKind = StepKind> {
  step: StepOf<K>;
  onChange: (next: FlowStep) => void;
  readOnly: boolean;
  onValidity: Validity;
  /** "Step 2" or "Step 2, then 1": prefixes the labels of this step's fields. */
  title: string;
  StepList: StepListComponent;
}
