import { useEffect, useState } from 'preact/hooks';
import type { Store } from '../lib/store';
import { useStore } from '../hooks/use-store';

export interface Toast {
  id: number;
  message: string;
  tone: 'ok' | 'error';
}

/** A polite live region: what it receives is read out by screen readers without moving focus. */
export interface Announcement {
  text: string;
  seq: number;
}

export function Announcer({ messages }: { messages: Store<Announcement> }) {
  const message = useStore(messages);
  const [shown, setShown] = useState('');
  useEffect(() => {
    // Clearing first makes a repeated message ("Copied") be announced again.
    setShown('');
    const timer = window.setTimeout(() => setShown(message.text), 60);
    return () => window.clearTimeout(timer);
  }, [message]);
  return (
    <div class="visually-hidden" aria-live="polite" aria-atomic="true">
      {shown}
    </div>
  );
}

/** Short confirmations and errors at the bottom of the page; each one dismisses itself. */
export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} class={`toast toast-${toast.tone}`}>
          <span>{toast.message}</span>
          <button type="button" class="toast-close" aria-label="Dismiss" onClick={() => onDismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
