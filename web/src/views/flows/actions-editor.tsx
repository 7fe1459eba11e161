import type { FlowStep } from '../../api/types';
import { capability, useCapabilities } from '../../hooks/use-capabilities';
import { BlockedNotice } from '../../ui/blocked-notice';
import { StepTreeContext } from './steps/move-menu';
import { StepList } from './steps/step-list';
import { TemplateScopeProvider } from './steps/scope';
import { allStepIds } from './steps/tree';
import type { Validity } from './steps/types';

/**
 * "Then": the flow's steps, run in order; each may use the event and the results of earlier steps.
 * Every kind's form comes from the step registry (steps/<kind>/); branches and loops hold lists of their own,
 * and a step moves between them through the whole tree (StepTreeContext).
 */
export function ActionsEditor({
  actions,
  onChange,
  readOnly,
  onValidity,
  sample,
}: {
  actions: FlowStep[];
  onChange: (next: FlowStep[]) => void;
  readOnly: boolean;
  onValidity: Validity;
  sample?: unknown;
}) {
  const http = capability(useCapabilities(), 'httpActions');
  return (
    <fieldset class="fieldset">
      <legend>Then</legend>
      <TemplateScopeProvider scope={{ sample, stepIds: allStepIds(actions) }}>
        <StepTreeContext.Provider value={{ steps: actions, onChange }}>
          <StepList
            steps={actions}
            onChange={onChange}
            readOnly={readOnly}
            onValidity={onValidity}
            title="Step"
            label="the flow"
            depth={1}
          />
        </StepTreeContext.Provider>
      </TemplateScopeProvider>
      {!readOnly && http?.state === 'off' ? (
        <BlockedNotice capability={http} title="Sending HTTP requests is off in this workspace" />
      ) : null}
    </fieldset>
  );
}
