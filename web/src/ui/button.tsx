import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { Icon } from './icons';
import type { IconName } from './icons';

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'icon' | 'size' | 'type' | 'disabled'> & {
  variant?: 'primary' | 'secondary' | 'ghost' | 'danger';
  size?: 'sm' | 'md';
  icon?: IconName;
  /** Shows a spinner and blocks clicks while an action runs. */
  busy?: boolean;
  disabled?: boolean;
  type?: 'button' | 'submit';
  children?: ComponentChildren;
};

export function Button({
  variant = 'secondary',
  size = 'md',
  icon,
  busy,
  disabled,
  type = 'button',
  children,
  class: className,
  ...rest
}: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      class={`btn btn-${variant} btn-${size}${className ? ` ${className}` : ''}`}
      disabled={disabled || busy}
      aria-busy={busy ? 'true' : undefined}
    >
      {busy ? <span class="spinner" aria-hidden="true" /> : icon ? <Icon name={icon} /> : null}
      {children}
    </button>
  );
}

/** A link styled as a button, for navigation. */
export function LinkButton({
  href,
  icon,
  children,
  variant = 'secondary',
  size = 'md',
}: {
  href: string;
  icon?: IconName;
  children: ComponentChildren;
  variant?: ButtonProps['variant'];
  size?: 'sm' | 'md';
}) {
  return (
    <a class={`btn btn-${variant} btn-${size}`} href={href}>
      {icon ? <Icon name={icon} /> : null}
      {children}
    </a>
  );
}
