/**
 * Institutions and customers (issue 13, FinLens): the banks, each user's
 * customer profile, and which accounts belong to which institution.
 */
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const institutions = sqliteTable(
  "institutions",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** A short unique code (e.g. a bank identifier), upper case. */
    code: text("code").notNull(),
    email: text("email"),
    phone: text("phone"),
    /** 1: a customer may hold at most one account of each type here ("at most one account with a bank"). */
    oneAccountPerType: integer("one_account_per_type").notNull().default(0),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [uniqueIndex("institutions_code_idx").on(t.code), index("institutions_name_idx").on(t.name, t.id)],
);

/**
 * An account's institution. `slot` is the account type where the institution
 * allows one account per type, else the account id: the unique index then
 * enforces the rule in the insert itself, whatever runs concurrently.
 */
export const institutionAccounts = sqliteTable(
  "institution_accounts",
  {
    accountId: text("account_id").primaryKey(),
    userId: text("user_id").notNull(),
    institutionId: text("institution_id").notNull(),
    accountType: text("account_type").notNull(),
    slot: text("slot").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("institution_accounts_slot_idx").on(t.userId, t.institutionId, t.slot),
    index("institution_accounts_inst_idx").on(t.institutionId),
  ],
);

/**
 * The customer profile on a user. The national id (PAN-like) is stored as an
 * HMAC-SHA-256 under the server's key and its last 4 digits, never in the clear.
 */
export const customerProfiles = sqliteTable(
  "customer_profiles",
  {
    userId: text("user_id").primaryKey(),
    name: text("name"),
    nationalIdHash: text("national_id_hash"),
    nationalIdLast4: text("national_id_last4"),
    email: text("email"),
    phone: text("phone"),
    address: text("address"),
    latitude: real("latitude"),
    longitude: real("longitude"),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("customer_profiles_name_idx").on(t.name)],
);
