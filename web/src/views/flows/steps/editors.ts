import type { ComponentType } from 'preact';
import type { StepKind } from '../../../lib/flow-constants';
import { BranchEditor } from './branch/editor';
import { ClockifyEditor } from './clockify/editor';
import { FindEditor } from './find/editor';
import { ForEachEditor } from './for-each/editor';
import { HttpEditor } from './http/editor';
import { SetEditor } from './set/editor';
import { StopEditor } from './stop/editor';
import type { StepEditorProps } from './types';
import { WaitEditor } from './wait/editor';

/** Each kind's form (steps/<kind>/editor.tsx), beside its info in kinds.ts. */
export const STEP_EDITORS: { [K in StepKind]: ComponentType<StepEditorProps<K>> } = {
  clockify: ClockifyEditor,
  http: HttpEditor,
  set: SetEditor,
  stop: StopEditor,
  branch: BranchEditor,
  'for-each': ForEachEditor,
  find: FindEditor,
  wait: WaitEditor,
};
