import { useState } from 'preact/hooks';

const SHORT = 110;

/** The first sentence of a long description, with the rest one click away (spec descriptions can run to paragraphs). */
export function LongText({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  if (text.length <= SHORT) return <>{text}</>;
  const sentence = /^(.{20,}?[.!?])(\s|$)/.exec(text)?.[1];
  const short = sentence && sentence.length <= SHORT ? sentence : `${text.slice(0, SHORT).replace(/\s+\S*$/, '')}…`;
  return (
    <>
      {open ? text : short}{' '}
      <button type="button" class="link-button" aria-expanded={open ? 'true' : 'false'} onClick={() => setOpen(!open)}>
        {open ? 'less' : 'more'}
      </button>
    </>
  );
}
