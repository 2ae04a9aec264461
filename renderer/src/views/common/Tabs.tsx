// A row of tabs (the panels beside the guide, the terminals): one button per tab, the active one
// marked for the eye (tab-active) and for screen readers (aria-selected), an unavailable one
// likewise (tab-disabled, aria-disabled).
import type { ReactNode } from 'react';

export interface TabItem<T extends string> {
  id: T;
  label: string;
  /** Shown on hover: what the tab holds, and its shortcut. */
  title: string;
  /** Before the label, such as a status dot. */
  icon?: ReactNode;
  /**
   * Shown but not selectable; the title says why. aria-disabled rather than disabled, so that it
   * still takes focus and hover and its title can be read.
   */
  disabled?: boolean;
}

export interface TabsProps<T extends string> {
  /** Names the tablist for screen readers. */
  label: string;
  /** Added to "tabs" on the tablist. */
  className: string;
  tabs: TabItem<T>[];
  active: T;
  onSelect: (id: T) => void;
}

export function Tabs<T extends string>({ label, className, tabs, active, onSelect }: TabsProps<T>) {
  return (
    <div className={`tabs ${className}`} role="tablist" aria-label={label}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          aria-selected={tab.id === active}
          aria-disabled={tab.disabled === true ? true : undefined}
          className={`${tab.id === active ? 'tab tab-active' : 'tab'}${tab.disabled === true ? ' tab-disabled' : ''}`}
          title={tab.title}
          onClick={() => {
            if (tab.disabled !== true) onSelect(tab.id);
          }}
        >
          {tab.icon}
          {tab.label}
        </button>
      ))}
    </div>
  );
}
