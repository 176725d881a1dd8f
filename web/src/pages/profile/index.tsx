/**
 * Profile: your customer profile (the national id is shown masked; typing a
 * new one replaces it) and the banks you hold accounts or payees at.
 */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { CustomerProfile, Institution } from "../../api/types";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import type { PageRoute } from "../../router";

async function load(): Promise<{ profile: CustomerProfile; banks: Institution[] }> {
  const [profile, banks] = await Promise.all([api.GET("/v1/me/profile").then(unwrap), api.GET("/v1/me/institutions").then(unwrap)]);
  return { profile, banks: banks.data };
}

const text = (f: FormData, name: string) => field(f, name) ?? null;

function ProfileForm({ profile, onDone }: { profile: CustomerProfile; onDone: () => void }) {
  const s = useSubmit(async (f) => {
    const lat = field(f, "latitude");
    const lon = field(f, "longitude");
    if (!lat !== !lon) throw new InputError("Enter both latitude and longitude, or neither");
    const nationalId = field(f, "national_id");
    unwrap(
      await api.PATCH("/v1/me/profile", {
        body: {
          name: text(f, "name"),
          email: text(f, "email"),
          phone: text(f, "phone"),
          address: text(f, "address"),
          latitude: lat ? Number(lat) : null,
          longitude: lon ? Number(lon) : null,
          ...(nationalId && { national_id: nationalId }),
        },
      }),
    );
    onDone();
    return "Profile saved.";
  });
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-profile">
      <h2 id="h-profile">Customer profile</h2>
      <div class="form-row">
        <label>
          Name
          <input name="name" maxLength={120} defaultValue={profile.name ?? ""} autoComplete="name" />
        </label>
        <label>
          National id (PAN)
          <input name="national_id" maxLength={10} placeholder={profile.national_id_masked ?? "ABCPE1234F"} autoComplete="off" />
        </label>
        <label>
          Email
          <input name="email" type="email" maxLength={254} defaultValue={profile.email ?? ""} autoComplete="email" />
        </label>
        <label>
          Phone
          <input name="phone" maxLength={24} defaultValue={profile.phone ?? ""} autoComplete="tel" />
        </label>
        <label>
          Address
          <input name="address" maxLength={300} defaultValue={profile.address ?? ""} autoComplete="street-address" />
        </label>
        <label>
          Latitude
          <input name="latitude" inputMode="decimal" defaultValue={profile.latitude?.toString() ?? ""} />
        </label>
        <label>
          Longitude
          <input name="longitude" inputMode="decimal" defaultValue={profile.longitude?.toString() ?? ""} />
        </label>
      </div>
      {profile.national_id_masked && <p class="muted">National id on file: {profile.national_id_masked}</p>}
      <FormStatus s={s} />
      <button type="submit" disabled={s.busy}>
        Save profile
      </button>
    </form>
  );
}

function ProfilePage() {
  const { data, error, loading, reload } = useData(load, []);
  return (
    <>
      <h1>Profile</h1>
      <ErrorNote error={error} />
      {loading && !data && <Loading what="Loading your profile" />}
      {data && <ProfileForm profile={data.profile} onDone={() => void reload()} />}
      {data && (
        <section class="card" aria-labelledby="h-banks">
          <h2 id="h-banks">Your banks</h2>
          {data.banks.length === 0 ? (
            <p class="muted">No accounts or payees at a bank yet.</p>
          ) : (
            <ul data-testid="bank-list">
              {data.banks.map((b) => (
                <li key={b.id}>
                  {b.name} <span class="muted">{b.code}</span>
                  {b.one_account_per_type && <span class="muted"> (one account per type)</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}

export const route: PageRoute = {
  path: "/profile",
  title: "Profile",
  access: "user",
  nav: { label: "Profile", order: 55 },
  component: ProfilePage,
};
