/**
 * Settings: notification preferences (preferences.tsx) and the password
 * (password.tsx).
 */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import type { PageRoute } from "../../router";
import { PasswordForm } from "./password";
import { PreferencesForm } from "./preferences";

function SettingsPage() {
  const { data, error, loading, reload } = useData(async () => unwrap(await api.GET("/v1/me/notification-preferences")), []);
  return (
    <>
      <h1>Settings</h1>
      {loading && !data ? <Loading what="Loading your preferences" /> : null}
      <ErrorNote error={error} />
      {data && <PreferencesForm initial={data} onSaved={() => void reload()} />}
      <PasswordForm />
    </>
  );
}

export const route: PageRoute = {
  path: "/settings",
  title: "Settings",
  access: "user",
  nav: { label: "Settings", order: 60 },
  component: SettingsPage,
};
