/**
 * Change password: the current one, the new one twice. The API keeps this
 * session and signs out every other one; a wrong current password is a 403
 * shown as such (this session stays signed in).
 */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";

export function PasswordForm() {
  const s = useSubmit(async (f, _key, form) => {
    const current = field(f, "current_password");
    const next = field(f, "new_password");
    if (!current || !next) throw new InputError("Fill in both passwords");
    if (next.length < 10) throw new InputError("The new password needs at least 10 characters");
    if (next !== field(f, "confirm_password")) throw new InputError("The new passwords do not match");
    unwrap(await api.POST("/v1/me/password", { body: { current_password: current, new_password: next } }));
    form.reset();
    return "Password changed. Your other sessions are signed out.";
  });
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-password" data-testid="password-form">
      <h2 id="h-password">Password</h2>
      <div class="form-row">
        <label>
          Current password
          <input name="current_password" type="password" autocomplete="current-password" required />
        </label>
        <label>
          New password
          <input name="new_password" type="password" autocomplete="new-password" minLength={10} maxLength={128} required />
        </label>
        <label>
          Repeat the new password
          <input name="confirm_password" type="password" autocomplete="new-password" required />
        </label>
      </div>
      <FormStatus s={s} />
      <button type="submit" disabled={s.busy}>
        Change password
      </button>
    </form>
  );
}
