import { AuthForm } from "../../components/auth-form";
import { Link } from "../../components/link";
import { navigate, type PageRoute } from "../../router";
import { register } from "../../session/actions";

function Register() {
  return (
    <section>
      <h1>Create your account</h1>
      <AuthForm
        submitLabel="Create account"
        withName
        onSubmit={async ({ email, password, name }) => {
          await register(email, password, name || undefined);
          navigate("/", { replace: true });
        }}
      />
      <p>
        Already registered? <Link href="/signin">Sign in</Link>.
      </p>
    </section>
  );
}

export const route: PageRoute = { path: "/register", title: "Create your account", access: "public", component: Register };
