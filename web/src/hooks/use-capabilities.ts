import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { CapabilitiesResponse, CapabilityId, CapabilityState } from '../api/types';
import { useApp } from '../app-context';

/** Settings change rarely and from Clockify's screen: one read per page load (a reload shows a change). */
const cache = new WeakMap<ApiClient, Promise<CapabilitiesResponse>>();

/** What this workspace can do now (edition × settings); undefined while loading. */
export function useCapabilities(): CapabilitiesResponse | undefined {
  const { api } = useApp();
  const [value, setValue] = useState<CapabilitiesResponse | undefined>(undefined);
  useEffect(() => {
    let promise = cache.get(api);
    if (!promise) {
      promise = api.get<CapabilitiesResponse>('/ui/capabilities');
      promise.catch(() => cache.delete(api));
      cache.set(api, promise);
    }
    let alive = true;
    promise.then((data) => alive && setValue(data)).catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api]);
  return value;
}

export function capability(data: CapabilitiesResponse | undefined, id: CapabilityId): CapabilityState | undefined {
  return data?.capabilities.find((item) => item.id === id);
}
