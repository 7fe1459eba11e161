import { createContext } from 'preact';
import type { ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiClient } from '../../../api/client';
import { useApp } from '../../../app-context';
import { samplePaths } from '../../../lib/template-completion';

/**
 * What a template field can refer to where it stands: the trigger's sample event, the flow's step
 * ids, and inside "Repeat for each" the loop's `item` and `loop`. Feeds completion and the preview.
 */
export interface TemplateScope {
  sample?: unknown;
  stepIds: readonly string[];
  /** Inside a loop: an example item (the first of the list in the sample), or null when unknown. */
  item?: { example: unknown; count: number } | null;
}

const ScopeContext = createContext<TemplateScope>({ stepIds: [] });

export function TemplateScopeProvider({ scope, children }: { scope: TemplateScope; children: ComponentChildren }) {
  return <ScopeContext.Provider value={scope}>{children}</ScopeContext.Provider>;
}

export function useTemplateScope(): TemplateScope {
  return useContext(ScopeContext);
}

/** The context a template is previewed against: the sample as `event`, an example `item` in loops. */
export function previewContext(scope: TemplateScope): Record<string, unknown> {
  const context: Record<string, unknown> = { event: scope.sample, steps: {} };
  if (scope.item) {
    context.item = scope.item.example;
    context.loop = { index: 0, count: scope.item.count };
  }
  return context;
}

/** The paths offered while typing: the sample's fields, `steps.<id>.`, and `item`/`loop` inside loops. */
export function scopePaths(scope: TemplateScope): string[] {
  const paths = [...(scope.sample === undefined ? ['event.'] : samplePaths(scope.sample, 'event')), 'workspace.id'];
  for (const id of scope.stepIds) paths.push(`steps.${id}.`);
  if (scope.item !== undefined) {
    paths.push('item.', 'loop.index', 'loop.count');
    if (scope.item?.example && typeof scope.item.example === 'object') paths.push(...samplePaths(scope.item.example, 'item'));
  }
  return paths;
}

export interface FunctionInfo {
  name: string;
  signature: string;
  description: string;
}

const functionCache = new WeakMap<ApiClient, Promise<FunctionInfo[]>>();

/** The template functions (GET /ui/flows/functions), fetched once per page load. */
export function useTemplateFunctions(): FunctionInfo[] {
  const { api } = useApp();
  const [functions, setFunctions] = useState<FunctionInfo[]>([]);
  useEffect(() => {
    let promise = functionCache.get(api);
    if (!promise) {
      promise = api.get<{ functions: FunctionInfo[] }>('/ui/flows/functions').then((body) => body.functions);
      promise.catch(() => functionCache.delete(api));
      functionCache.set(api, promise);
    }
    let alive = true;
    promise.then((value) => alive && setFunctions(value)).catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api]);
  return useMemo(() => functions, [functions]);
}
