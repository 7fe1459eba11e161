/**
 * The step kinds, one folder each. The validator, the executor and the dry run find a kind here and
 * nowhere else; adding a kind is a folder plus a line here (and its name in STEP_KINDS; a test checks
 * both agree with the folders).
 */
import type { FlowStep } from '../model.js';
import type { StepKind } from '../shared/flow-constants.js';
import { branchStep } from './branch/index.js';
import { clockifyStep } from './clockify/index.js';
import { findStep } from './find/index.js';
import { forEachStep } from './for-each/index.js';
import { httpStep } from './http/index.js';
import { setStep } from './set/index.js';
import { stopStep } from './stop/index.js';
import type { StepKindDefinition } from './types.js';
import { waitStep } from './wait/index.js';

export const STEP_REGISTRY: { readonly [K in StepKind]: StepKindDefinition<Extract<FlowStep, { kind: K }>> } = {
  clockify: clockifyStep,
  http: httpStep,
  set: setStep,
  branch: branchStep,
  'for-each': forEachStep,
  find: findStep,
  wait: waitStep,
  stop: stopStep,
};

/** The kind's definition, or undefined for a kind that does not exist. */
export function stepKind(kind: string): StepKindDefinition | undefined {
  return Object.hasOwn(STEP_REGISTRY, kind) ? (STEP_REGISTRY[kind as StepKind] as unknown as StepKindDefinition) : undefined;
}
