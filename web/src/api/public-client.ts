/**
 * The API client with no credentials, for the public auth routes. Typed by the
 * OpenAPI document (schema.d.ts): a path, parameter or body that the API does
 * not declare is a compile error.
 */
import createClient from "openapi-fetch";
import type { paths } from "./schema";

export const publicApi = createClient<paths>({ baseUrl: "" });
