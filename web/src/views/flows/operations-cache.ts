import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../api/client';
import type { EndpointList, OperationForm, OperationSummary } from '../../api/types';
import { useApp } from '../../app-context';

/**
 * What flow steps may call (not the explorer's list, which follows the viewer and the edition):
 * the list and forms change only with a new server version, so each is fetched once per page load.
 */
const listCache = new WeakMap<ApiClient, Promise<OperationSummary[]>>();
const formCache = new Map<string, Promise<OperationForm>>();

export function useOperations(): OperationSummary[] | undefined {
  const { api } = useApp();
  const [operations, setOperations] = useState<OperationSummary[] | undefined>(undefined);
  useEffect(() => {
    let promise = listCache.get(api);
    if (!promise) {
      promise = api.get<EndpointList>('/ui/flow-operations').then((list) => list.groups.flatMap((group) => group.operations));
      promise.catch(() => listCache.delete(api));
      listCache.set(api, promise);
    }
    let alive = true;
    promise.then((value) => alive && setOperations(value)).catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api]);
  return operations;
}

export function useOperationForm(operationId: string): { form?: OperationForm; missing: boolean } {
  const { api } = useApp();
  const [state, setState] = useState<{ id: string; form?: OperationForm; missing: boolean }>({ id: '', missing: false });
  useEffect(() => {
    if (!operationId) return;
    let promise = formCache.get(operationId);
    if (!promise) {
      promise = api.get<OperationForm>(`/ui/flow-operations/${encodeURIComponent(operationId)}`);
      promise.catch(() => formCache.delete(operationId));
      formCache.set(operationId, promise);
    }
    let alive = true;
    promise.then(
      (form) => alive && setState({ id: operationId, form, missing: false }),
      () => alive && setState({ id: operationId, missing: true }),
    );
    return () => {
      alive = false;
    };
  }, [api, operationId]);
  return state.id === operationId ? { form: state.form, missing: state.missing } : { missing: false };
}
