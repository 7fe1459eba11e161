import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from './api/client';
import { LiveStream } from './api/live';
import type { LiveState } from './api/live';
import type { Me } from './api/types';
import { AppContext } from './app-context';
import type { AppServices } from './app-context';
import { useResource } from './hooks/use-resource';
import { useRoute } from './hooks/use-route';
import { useStore } from './hooks/use-store';
import { setDatePreferences } from './lib/date-preferences';
import type { DatePreferences } from './lib/date-preferences';
import { createStore } from './lib/store';
import { routeHref } from './lib/route';
import type { View } from './lib/route';
import { themeOf } from './session/claims';
import type { Session } from './session/session';
import { Announcer, Toasts } from './ui/announcer';
import type { Announcement, Toast } from './ui/announcer';
import { ErrorNotice, Skeleton } from './ui/feedback';
import { Icon } from './ui/icons';
import type { IconName } from './ui/icons';
import { ExplorerView } from './views/explorer/explorer-view';
import { FlowsView } from './views/flows/flows-view';
import { InactiveBanner } from './views/inactive-banner';
import { OverviewView } from './views/overview/overview-view';
import { SessionEnded } from './views/session-ended';
import { SettingsView } from './views/settings/settings-view';
import { WebhooksView } from './views/webhooks/webhooks-view';

const NAV: { view: View; label: string; icon: IconName }[] = [
  { view: 'overview', label: 'Overview', icon: 'overview' },
  { view: 'webhooks', label: 'Webhooks', icon: 'webhooks' },
  { view: 'explorer', label: 'Explorer', icon: 'explorer' },
  { view: 'flows', label: 'Flows', icon: 'flows' },
  { view: 'settings', label: 'Settings', icon: 'settings' },
];

/** Decides between the session message and the app; the theme follows the token even before /ui/me answers. */
export function Root({ session }: { session: Session }) {
  const state = useStore(session.state);
  useEffect(() => {
    const claims = state.status === 'active' ? state.claims : null;
    document.documentElement.dataset.theme = themeOf(claims);
    if (claims?.language) document.documentElement.lang = claims.language.toLowerCase().slice(0, 2);
  }, [state]);
  if (state.status === 'ended') return <SessionEnded reason={state.reason} detail={state.detail} />;
  return <Loader session={session} />;
}

function Loader({ session }: { session: Session }) {
  const api = useMemo(() => new ApiClient(session), [session]);
  const me = useResource((signal) => api.get<Me>('/ui/me', { signal }), [api]);
  if (me.data) return <Shell api={api} session={session} me={me.data} />;
  return (
    <main class="boot" id="main" aria-busy={me.loading ? 'true' : 'false'}>
      {me.error ? (
        <ErrorNotice error={me.error} title="The add-on could not load" onRetry={me.reload} />
      ) : (
        <Skeleton lines={5} label="Loading the add-on…" />
      )}
    </main>
  );
}

const EDITION_ICONS: Record<Me['edition']['id'], IconName> = {
  'api-studio': 'braces',
  'universal-webhook': 'webhooks',
  'clockify-addon': 'overview',
};

const LIVE_TEXT: Record<LiveState, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', off: 'Offline' };

function Shell({ api, session, me }: { api: ApiClient; session: Session; me: Me }) {
  const route = useRoute();
  // /ui/me answers 401 for an expired token, which ends the session with its message.
  const live = useMemo(
    () =>
      new LiveStream(
        () => api.streamUrl(),
        () => void api.get('/ui/me').catch(() => undefined),
      ),
    [api],
  );
  const liveState = useStore(live.state);
  const announcements = useMemo(() => createStore<Announcement>({ text: '', seq: 0 }), []);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const toastSeq = useRef(0);
  const mainRef = useRef<HTMLElement>(null);
  // Dates follow the user's Clockify settings once known; the whole page renders again with them.
  const [, setPreferencesLoaded] = useState(false);
  useEffect(() => {
    api
      .get<DatePreferences>('/ui/me/preferences')
      .then((preferences) => {
        setDatePreferences(preferences);
        setPreferencesLoaded(true);
      })
      .catch(() => undefined);
  }, [api]);

  useEffect(() => {
    live.start();
    const unsubscribe = session.state.subscribe((state) => {
      if (state.status === 'ended') live.stop();
    });
    return () => {
      unsubscribe();
      live.stop();
    };
  }, [live, session]);

  const announce = useCallback((text: string) => announcements.set({ text, seq: announcements.get().seq + 1 }), [announcements]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((toast) => toast.id !== id)), []);
  const notify = useCallback(
    (message: string, tone: 'ok' | 'error' = 'ok') => {
      toastSeq.current += 1;
      const id = toastSeq.current;
      setToasts((all) => [...all.slice(-2), { id, message, tone }]);
      window.setTimeout(() => dismiss(id), tone === 'error' ? 8000 : 4000);
    },
    [dismiss],
  );

  // Moving between views puts keyboard and screen-reader users at the new view's start.
  const previousView = useRef(route.view);
  useEffect(() => {
    if (previousView.current !== route.view) mainRef.current?.focus({ preventScroll: false });
    previousView.current = route.view;
  }, [route.view]);

  useEffect(() => {
    document.title = me.edition.name;
    // Each add-on its own accent and mark (styles/extras.css), so the three are told apart at a glance.
    document.documentElement.dataset.edition = me.edition.id;
  }, [me.edition.name, me.edition.id]);

  const services: AppServices = useMemo(() => ({ api, live, me, announce, notify }), [api, live, me, announce, notify]);
  const roleLabel = me.isAdmin ? roleName(me.role) : `${roleName(me.role)} · read-only`;

  return (
    <AppContext.Provider value={services}>
      <a
        class="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="topbar">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">
            <Icon name={EDITION_ICONS[me.edition.id]} size={16} />
          </span>
          <span class="brand-name">{me.edition.name}</span>
        </div>
        <div class="topbar-meta">
          <span class={`live-dot live-${liveState}`} title={`Live updates: ${LIVE_TEXT[liveState]}`}>
            <span class="dot" aria-hidden="true" />
            <span class="live-text">{LIVE_TEXT[liveState]}</span>
          </span>
          <span
            class="role-chip"
            title={me.isAdmin ? 'You can change things here.' : 'Only workspace owners and admins can change things here.'}
          >
            {roleLabel}
          </span>
        </div>
      </header>
      <nav class="tabs" aria-label="Sections">
        {NAV.map((item) => (
          <a key={item.view} class="tab" href={routeHref(item.view)} aria-current={route.view === item.view ? 'page' : undefined}>
            <Icon name={item.icon} size={18} />
            <span>{item.label}</span>
          </a>
        ))}
      </nav>
      <main class="content" id="main" ref={mainRef} tabIndex={-1}>
        {me.installation.status === 'INACTIVE' ? <InactiveBanner /> : null}
        {route.view === 'overview' ? <OverviewView /> : null}
        {route.view === 'webhooks' ? <WebhooksView parts={route.parts} /> : null}
        {route.view === 'explorer' ? <ExplorerView parts={route.parts} /> : null}
        {route.view === 'flows' ? <FlowsView parts={route.parts} /> : null}
        {route.view === 'settings' ? <SettingsView /> : null}
      </main>
      <Announcer messages={announcements} />
      <Toasts toasts={toasts} onDismiss={dismiss} />
    </AppContext.Provider>
  );
}

function roleName(role: string): string {
  const names: Record<string, string> = {
    OWNER: 'Owner',
    ADMIN: 'Admin',
    TEAM_MANAGER: 'Team manager',
    PROJECT_MANAGER: 'Project manager',
    REGULAR: 'Member',
  };
  return names[role] ?? role.charAt(0) + role.slice(1).toLowerCase();
}
