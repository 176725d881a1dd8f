import { AuthForm } from "../../components/auth-form";
import { Link } from "../../components/link";
import { navigate, type PageRoute } from "../../router";
import { useEffect } from "preact/hooks";
import { signIn } from "../../session/actions";
import { useSession } from "../../session/state";

/** Only same-origin paths are followed after signing in. */
export function nextPath(): string {
  const next = new URL(location.href).searchParams.get("next");
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

function SignIn() {
  const session = useSession();
  // Already signed in (a reload restored the session from the cookie): go where the visitor was headed.
  useEffect(() => {
    if (session) navigate(nextPath(), { replace: true });
  }, [session]);
  return (
    <section>
      <h1>Sign in</h1>
      <AuthForm
        submitLabel="Sign in"
        onSubmit={async ({ email, password }) => {
          await signIn(email, password);
          navigate(nextPath(), { replace: true });
        }}
      />
      <p>
        New here? <Link href="/register">Create an account</Link>.
      </p>
    </section>
  );
}

export const route: PageRoute = { path: "/signin", title: "Sign in", access: "public", component: SignIn };
