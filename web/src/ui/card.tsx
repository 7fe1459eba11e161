import type { ComponentChildren } from 'preact';

/** A titled section of a page. The heading level follows the page outline (h1 is the view title). */
export function Card({
  title,
  actions,
  children,
  id,
  level = 2,
  subtitle,
}: {
  title?: ComponentChildren;
  actions?: ComponentChildren;
  children: ComponentChildren;
  id?: string;
  level?: 2 | 3;
  subtitle?: ComponentChildren;
}) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section class="card" aria-labelledby={id && title ? `${id}-title` : undefined}>
      {title || actions ? (
        <header class="card-header">
          <div class="card-heading">
            {title ? (
              <Heading class="card-title" id={id ? `${id}-title` : undefined}>
                {title}
              </Heading>
            ) : null}
            {subtitle ? <p class="card-subtitle">{subtitle}</p> : null}
          </div>
          {actions ? <div class="card-actions">{actions}</div> : null}
        </header>
      ) : null}
      <div class="card-body">{children}</div>
    </section>
  );
}
