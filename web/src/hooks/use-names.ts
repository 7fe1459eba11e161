import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { NameDirectory } from '../api/types';
import { useApp } from '../app-context';
import { EMPTY_DIRECTORY, nameIndex } from '../lib/names';
import type { NameIndex } from '../lib/names';

/** One read per page load; a finished snapshot asks for a fresh one (see forgetNames). */
const cache = new WeakMap<ApiClient, Promise<NameIndex>>();
const EMPTY = nameIndex(EMPTY_DIRECTORY);

export function forgetNames(api: ApiClient): void {
  cache.delete(api);
}

/** Names of the workspace's ids; an empty index until loaded (ids then show as they are). */
export function useNames(): NameIndex {
  const { api } = useApp();
  const [index, setIndex] = useState<NameIndex>(EMPTY);
  useEffect(() => {
    let promise = cache.get(api);
    if (!promise) {
      promise = api.get<NameDirectory>('/ui/names').then(nameIndex);
      promise.catch(() => cache.delete(api));
      cache.set(api, promise);
    }
    let alive = true;
    promise.then((value) => alive && setIndex(value)).catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api]);
  return index;
}
