/** Schemas of the institution and customer routes: they validate the requests and document them in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { cursorQuery } from "../lib/cursor";
import { InstitutionId } from "./payment-schemas";
import { pageLimit } from "./schemas";
import { text } from "./text-schemas";

const Email = z.string().trim().toLowerCase().max(254).email().openapi({ example: "support@bank.example" });
const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()-]{5,22}$/, "must be a phone number (digits, spaces, dashes, parentheses, an optional leading +)")
  .openapi({ example: "+1 415 555 0100" });
const Code = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{2,11}$/, "must be 2 to 11 letters and digits")
  .openapi({ description: "A short unique code, e.g. a BIC; stored upper case", example: "FEBKUS33" });

export const Institution = z
  .object({
    id: InstitutionId,
    object: z.literal("institution"),
    name: z.string(),
    code: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    one_account_per_type: z.boolean().openapi({ description: "A customer holds at most one account of each type here (409 beyond)" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Institution");

export const CreateInstitutionBody = z
  .object({
    name: text(120),
    code: Code,
    email: Email.nullable().optional(),
    phone: Phone.nullable().optional(),
    one_account_per_type: z.boolean().default(false),
  })
  .strict()
  .openapi("CreateInstitution");

export const UpdateInstitutionBody = z
  .object({
    name: text(120).optional(),
    code: Code.optional(),
    email: Email.nullable().optional(),
    phone: Phone.nullable().optional(),
    one_account_per_type: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "at least one field")
  .openapi("UpdateInstitution");

export const InstitutionQuery = z.object({
  name: z.string().trim().min(1).max(120).optional().openapi({ description: "A substring of the name, case-insensitive" }),
  code: Code.optional().openapi({ description: "The code, exactly" }),
  limit: pageLimit(100, 25),
  cursor: cursorQuery,
});

export const InstitutionParam = z.object({ id: InstitutionId });

/**
 * A national id in the PAN format (India's Permanent Account Number): 5
 * letters, 4 digits, a letter; the 4th letter is the holder type.
 */
export const NationalId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}[ABCFGHJLPT][A-Z][0-9]{4}[A-Z]$/, "must be a PAN: 5 letters (the 4th a holder type), 4 digits, a letter")
  .openapi({ description: "Stored as a keyed hash and its last 4; shown masked", example: "ABCPE1234F" });

export const ProfileBody = z
  .object({
    name: text(120).nullable().optional(),
    national_id: NationalId.nullable().optional(),
    email: Email.nullable().optional(),
    phone: Phone.nullable().optional(),
    address: text(300).nullable().optional(),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
  })
  .strict()
  .refine((b) => (b.latitude === undefined) === (b.longitude === undefined), "latitude and longitude go together")
  .openapi("UpdateProfile");

export const Profile = z
  .object({
    object: z.literal("customer_profile"),
    user_id: z.string(),
    name: z.string().nullable(),
    national_id_masked: z.string().nullable().openapi({ example: "••••234F" }),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    address: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    updated_at: z.string().nullable(),
  })
  .openapi("CustomerProfile");

export const Customer = z
  .object({ user_id: z.string(), email: z.string(), role: z.string(), created_at: z.string(), profile: Profile.nullable() })
  .openapi("Customer");

export const CustomerQuery = z.object({
  name: z.string().trim().min(1).max(120).optional().openapi({ description: "A substring of the profile name" }),
  email: z.string().trim().max(254).optional().openapi({ description: "The sign-in email, exactly" }),
  national_id: NationalId.optional().openapi({ description: "Matched through its keyed hash" }),
  limit: pageLimit(100, 25),
  cursor: cursorQuery,
});

export const UserParam = z.object({
  id: z
    .string()
    .regex(/^usr_[0-9a-z]{20}$/, "must be a user id")
    .openapi({ example: "usr_0123456789abcdefghjk" }),
});
