import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api/client';
import type { LiveStream } from './api/live';
import type { Me } from './api/types';

export interface AppServices {
  api: ApiClient;
  live: LiveStream;
  me: Me;
  /** Say something to screen-reader users (polite), e.g. "Flow saved". */
  announce(message: string): void;
  /** A short confirmation that also appears on screen. */
  notify(message: string, tone?: 'ok' | 'error'): void;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp outside <AppContext.Provider>');
  return services;
}
