// A section's heading row: its title, then whatever goes beside it (a time, a button).
import type { ReactNode } from 'react';

export interface SectionHeadProps {
  title: string;
  /** The heading's id, for the section's aria-labelledby. */
  titleId?: string;
  children?: ReactNode;
}

export function SectionHead({ title, titleId, children }: SectionHeadProps) {
  return (
    <header className="section-head">
      <h2 id={titleId}>{title}</h2>
      {children}
    </header>
  );
}
