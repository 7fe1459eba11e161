import { useMemo } from 'preact/hooks';
import type { FlowDefinition } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { navigate } from '../../hooks/use-route';
import { emptyFlow, pendingDraft } from '../../lib/flow-draft';
import { routeHref } from '../../lib/route';
import { LinkButton } from '../../ui/button';
import { Notice } from '../../ui/feedback';
import { flowOf } from './flow-api';
import { FlowEditor } from './flow-editor';

export function NewFlow() {
  const { api, me, notify } = useApp();
  // A draft handed over by the explorer ("save as flow action") is taken once.
  const initial = useMemo<FlowDefinition>(() => {
    const handed = pendingDraft.get();
    pendingDraft.set(null);
    return handed ?? emptyFlow(undefined);
  }, []);
  const create = useAction(async (definition: FlowDefinition) => {
    const flow = flowOf(await api.post<unknown>('/ui/flows', { definition }));
    notify(`Flow "${definition.name}" created.`);
    navigate(routeHref('flows', flow.id));
  });
  return (
    <div>
      <div class="page-header">
        <div>
          <LinkButton href={routeHref('flows')} icon="back" size="sm" variant="ghost">
            All flows
          </LinkButton>
          <h1>New flow</h1>
          <p>Choose when it runs, the conditions, and what it does. Try it with a dry run before saving.</p>
        </div>
        {me.isAdmin ? <LinkButton href={routeHref('flows', 'templates')}>Start from a template instead</LinkButton> : null}
      </div>
      {me.isAdmin ? (
        <FlowEditor
          initial={initial}
          onSave={(definition) => void create.run(definition)}
          saving={create.busy}
          saveError={create.error}
          saveLabel="Create flow"
          readOnly={false}
        />
      ) : (
        <Notice tone="warn" title="Admins only">
          Only workspace owners and admins can create flows.
        </Notice>
      )}
    </div>
  );
}
