/**
 * A table that may scroll sideways on a narrow screen. Keyboard users reach it
 * with Tab and scroll it with the arrow keys (WCAG 2.1.1; axe's
 * scrollable-region-focusable), and it is announced by the same name as its table.
 */
import type { ComponentChildren } from "preact";

export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be focusable, or a keyboard cannot scroll it.
    <section class="table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
