/**
 * Notification preferences: each kind × channel (inbox, email, webhook) as a
 * checkbox, and quiet hours in the person's own clock (the browser's UTC
 * offset). Saved whole with PUT /v1/me/notification-preferences, which keeps
 * what is not named.
 */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";
import { InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { TableWrap } from "../../components/table-wrap";
import { KIND_LABELS } from "../../lib/notification-kinds";

type Preferences = components["schemas"]["NotificationPreferences"];
type Kind = keyof Preferences["kinds"];
const CHANNELS = [
  ["in_app", "Inbox"],
  ["email", "Email"],
  ["webhook", "Webhook"],
] as const;

/** Minutes east of UTC on this device, as the API counts them. */
const localOffset = () => -new Date().getTimezoneOffset();

export function PreferencesForm({ initial, onSaved }: { initial: Preferences; onSaved: (p: Preferences) => void }) {
  const [quiet, setQuiet] = useState(initial.quiet_hours !== null);
  const kinds = Object.keys(initial.kinds) as Kind[];
  const s = useSubmit(async (f) => {
    const next = Object.fromEntries(
      kinds.map((k) => [k, Object.fromEntries(CHANNELS.map(([ch]) => [ch, f.get(`${k}.${ch}`) === "on"]))]),
    ) as Preferences["kinds"];
    let quiet_hours: Preferences["quiet_hours"] = null;
    if (f.get("quiet") === "on") {
      const start = String(f.get("quiet_start") ?? "");
      const end = String(f.get("quiet_end") ?? "");
      if (!/^\d\d:\d\d$/.test(start) || !/^\d\d:\d\d$/.test(end)) throw new InputError("Give the quiet hours' start and end as HH:MM");
      quiet_hours = { start, end, utc_offset_minutes: initial.quiet_hours?.utc_offset_minutes ?? localOffset() };
    }
    const saved = unwrap(await api.PUT("/v1/me/notification-preferences", { body: { kinds: next, quiet_hours } }));
    onSaved(saved);
    return "Preferences saved.";
  });
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-prefs" data-testid="preferences-form">
      <h2 id="h-prefs">Notifications</h2>
      <p class="muted">Where each kind of notice reaches you. Webhooks go to the endpoints on the Webhooks page.</p>
      <TableWrap label="Notification channels">
        <table>
          <caption>Channels per kind of notice</caption>
          <thead>
            <tr>
              <th scope="col">Notice</th>
              {CHANNELS.map(([ch, label]) => (
                <th key={ch} scope="col">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {kinds.map((k) => (
              <tr key={k} data-testid={`pref-${k}`}>
                <th scope="row">{KIND_LABELS[k]}</th>
                {CHANNELS.map(([ch, label]) => (
                  <td key={ch}>
                    <input
                      type="checkbox"
                      name={`${k}.${ch}`}
                      defaultChecked={initial.kinds[k][ch]}
                      aria-label={`${KIND_LABELS[k]}: ${label}`}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <fieldset>
        <legend>Quiet hours</legend>
        <label>
          <input type="checkbox" name="quiet" checked={quiet} onChange={(e) => setQuiet((e.currentTarget as HTMLInputElement).checked)} />{" "}
          Hold email and webhooks back during quiet hours (security notices still go out)
        </label>
        {quiet && (
          <div class="form-row">
            <label>
              From
              <input name="quiet_start" type="time" required defaultValue={initial.quiet_hours?.start ?? "22:00"} />
            </label>
            <label>
              Until
              <input name="quiet_end" type="time" required defaultValue={initial.quiet_hours?.end ?? "07:00"} />
            </label>
          </div>
        )}
      </fieldset>
      <FormStatus s={s} />
      <button type="submit" disabled={s.busy}>
        Save preferences
      </button>
    </form>
  );
}
