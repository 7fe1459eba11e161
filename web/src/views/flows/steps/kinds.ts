import type { FlowStep } from '../../../api/types';
import type { StepKind } from '../../../lib/flow-constants';
import { branchKind } from './branch/kind';
import { clockifyKind } from './clockify/kind';
import { findKind } from './find/kind';
import { forEachKind } from './for-each/kind';
import { httpKind } from './http/kind';
import { setKind } from './set/kind';
import { stopKind } from './stop/kind';
import type { StepKindInfo } from './types';
import { waitKind } from './wait/kind';

/**
 * The step kinds the editor offers, one folder each (steps/<kind>/kind.ts + editor.tsx). The record
 * type makes a kind added to STEP_KINDS without a folder a type error; web/test/step-kinds.test.ts
 * checks the folders.
 */
export const STEP_KIND_INFO: { [K in StepKind]: StepKindInfo<K> } = {
  clockify: clockifyKind,
  http: httpKind,
  set: setKind,
  stop: stopKind,
  branch: branchKind,
  'for-each': forEachKind,
  find: findKind,
  wait: waitKind,
};

/** The info of a step's kind, typed for that step (a stored step of an unknown kind gets none). */
export function kindInfo(step: FlowStep): StepKindInfo | undefined {
  return (STEP_KIND_INFO as Record<string, StepKindInfo>)[step.kind];
}
