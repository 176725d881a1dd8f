import { render } from "preact";
import { App } from "./app";
import { restoreSession } from "./session/actions";
import "./styles.css";
import "./pages.css";

// Before the first render, so guarded pages wait for the refresh cookie instead of redirecting.
void restoreSession();
render(<App />, document.getElementById("app")!);
