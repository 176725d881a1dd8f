import type { ComponentChildren } from "preact";
import { navigate } from "../router";

interface Props {
  href: string;
  children: ComponentChildren;
  class?: string;
  "aria-current"?: "page";
  "data-testid"?: string;
}

/** An <a href> that navigates inside the app on a plain click (modifier clicks open tabs as usual). */
export function Link({ href, children, ...rest }: Props) {
  return (
    <a
      {...rest}
      href={href}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
