/**
 * Demo banks, so the account form's bank picker and `GET /v1/institutions`
 * are not empty on first run. Institutions are admin-created (audited), so the
 * seeder registers a local registrar with a random password, grants it admin
 * through the operator command for the few creates, and revokes the role at
 * once: no dev database keeps an admin with a known password. Runs only while
 * the list is empty; a rerun leaves the banks (and anyone's edits) alone.
 */
import { randomBytes } from "node:crypto";
import { operatorRole } from "./operator-role.mjs";

export const DEMO_INSTITUTIONS = [
  {
    name: "First Demo Bank",
    code: "FDEMOUS33",
    email: "support@firstdemo.bank.example",
    phone: "+1 415 555 0100",
    one_account_per_type: true,
  },
  {
    name: "Harbor Savings & Loan",
    code: "HARBUS44",
    email: "help@harbor.bank.example",
    phone: "+1 212 555 0144",
    one_account_per_type: false,
  },
  { name: "Northwind Credit Union", code: "NWCUUS55", email: null, phone: "+1 206 555 0155", one_account_per_type: true },
];

const REGISTRAR = "demo-registrar@finedge.dev";

/**
 * @param {ReturnType<typeof import("./api.mjs").createApi>} api
 * @param {string} userToken any signed-in user's token, to read the list
 * @param {{ storage: string[], log?: (message: string) => void }} opts
 * @returns {Promise<number>} how many banks were created
 */
export async function seedInstitutions(api, userToken, { storage, log = () => {} }) {
  const have = await api.get("/v1/institutions?limit=1", userToken);
  if (have.data.length > 0) return 0;
  const password = randomBytes(18).toString("base64url");
  const reg = await api.request("POST", "/v1/auth/register", { body: { email: REGISTRAR, password, name: "Demo Registrar" } });
  if (reg.status !== 201) {
    log(`institutions: skipped (registering ${REGISTRAR} answered ${reg.status})`);
    return 0;
  }
  const reason = "demo institutions";
  await operatorRole("grant", REGISTRAR, { role: "admin", reason, storage });
  try {
    const login = await api.post("/v1/auth/login", { email: REGISTRAR, password });
    for (const bank of DEMO_INSTITUTIONS) await api.post("/v1/admin/institutions", bank, login.access_token);
  } finally {
    await operatorRole("revoke", REGISTRAR, { role: "admin", reason, storage });
  }
  log(`institutions: ${DEMO_INSTITUTIONS.length} demo banks`);
  return DEMO_INSTITUTIONS.length;
}
