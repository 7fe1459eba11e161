import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { Icon } from './icons';

/**
 * Copies text. Inside Clockify's iframe the async Clipboard API may be denied, so the old
 * execCommand path is tried next; if both fail the user is told to copy by hand.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Fall through to the legacy path.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  const active = document.activeElement as HTMLElement | null;
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  active?.focus();
  return copied;
}

export function CopyButton({
  text,
  label = 'Copy',
  what,
  size = 'sm',
  showLabel = true,
}: {
  text: string;
  label?: string;
  what?: string;
  size?: 'sm' | 'md';
  showLabel?: boolean;
}) {
  const { announce, notify } = useApp();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), 1800);
    return () => window.clearTimeout(timer);
  }, [copied]);
  const onClick = async () => {
    const ok = await copyText(text);
    setCopied(ok);
    if (ok) announce(`${what ?? 'Text'} copied to the clipboard.`);
    else notify('Copying is blocked here: select the text and press Ctrl+C (⌘C on a Mac).', 'error');
  };
  return (
    <button
      type="button"
      class={`btn btn-ghost btn-${size}`}
      onClick={onClick}
      aria-label={showLabel ? undefined : `${label}${what ? ` ${what.toLowerCase()}` : ''}`}
    >
      <Icon name={copied ? 'check' : 'copy'} />
      {showLabel ? (copied ? 'Copied' : label) : null}
    </button>
  );
}
