/**
 * Schemas of /v1/webhooks (outbound Standard Webhooks): they validate the
 * requests and document them in /openapi.json.
 */
import { z } from "@hono/zod-openapi";
import { EVENT_TYPES } from "../domain/webhooks/event-types";
import { MAX_URL_LENGTH } from "../domain/webhooks/url-guard";
import { pageLimit } from "./schemas";

export const WebhookId = z
  .string()
  .regex(/^whk_[0-9a-z]{20}$/, "must be a webhook endpoint id (whk_ and 20 characters)")
  .openapi({ example: "whk_9x2k4m6p8r0t2v4w6y8z" });

export const DeliveryId = z
  .string()
  .regex(/^dlv_[0-9a-z]{20}$/, "must be a delivery id (dlv_ and 20 characters)")
  .openapi({ example: "dlv_0a2c4e6g8j0m2p4r6t8v" });

const Url = z
  .string()
  .min(1)
  .max(MAX_URL_LENGTH)
  .openapi({
    example: "https://hooks.example.com/finedge",
    description: `https on the default port; no userinfo, no private/loopback/link-local IP literal, no localhost/.local/.internal (${MAX_URL_LENGTH} characters at most)`,
  });

const EventTypes = z
  .array(z.enum(EVENT_TYPES))
  .min(1)
  .max(EVENT_TYPES.length)
  .refine((xs) => new Set(xs).size === xs.length, "event types must not repeat")
  .openapi({
    example: ["budget_threshold_crossed", "transfer_failed"],
    description: "`*` for every kind, or notification kinds; the envelope's `type` is the kind",
  });

const Description = z.string().trim().min(1).max(200).openapi({ example: "Budget alerts to my home server" });

export const CreateWebhookBody = z
  .object({ url: Url, event_types: EventTypes, description: Description.optional() })
  .strict()
  .openapi("CreateWebhookBody");

export const UpdateWebhookBody = z
  .object({
    url: Url.optional(),
    event_types: EventTypes.optional(),
    description: Description.nullable().optional().openapi({ description: "null clears it" }),
    enabled: z.boolean().optional().openapi({ description: "true re-enables a disabled endpoint and forgets its failures" }),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "name at least one field")
  .openapi("UpdateWebhookBody");

export const WebhookEndpoint = z
  .object({
    id: WebhookId,
    object: z.literal("webhook_endpoint"),
    url: z.string(),
    description: z.string().nullable(),
    event_types: z.array(z.string()),
    status: z.enum(["enabled", "disabled"]),
    disabled_reason: z.string().nullable().openapi({ example: "the endpoint answered 410 Gone" }),
    previous_secret_expires_at: z
      .string()
      .nullable()
      .openapi({ description: "After a rotation, until when the previous secret still signs (a second `v1,` signature)" }),
    created_at: z.string().openapi({ example: "2026-12-03T07:00:00.000Z" }),
    updated_at: z.string(),
  })
  .openapi("WebhookEndpoint");

export const WebhookEndpointWithSecret = WebhookEndpoint.extend({
  secret: z.string().openapi({
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    description: "Shown only in this reply: `whsec_` + base64 of 32 bytes; verify with any Standard Webhooks library",
  }),
}).openapi("WebhookEndpointWithSecret");

export const WebhookEndpointList = z.object({ object: z.literal("list"), data: z.array(WebhookEndpoint) }).openapi("WebhookEndpointList");

export const WebhookDelivery = z
  .object({
    id: DeliveryId,
    object: z.literal("webhook_delivery"),
    endpoint_id: WebhookId,
    message_id: z.string().openapi({ example: "msg_2b4d6f8h0k2n4q6s8u0w", description: "The webhook-id header; the same on a redelivery" }),
    type: z.string().openapi({ example: "budget_threshold_crossed" }),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempts: z.array(
      z.object({
        n: z.number().int().positive(),
        at: z.string(),
        status_code: z.number().int().nullable().openapi({ description: "null: no answer (timeout, network error, refused URL)" }),
        duration_ms: z.number().int().nonnegative(),
        error: z.string().nullable().openapi({ example: "HTTP 500" }),
      }),
    ),
    next_attempt_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("WebhookDelivery");

export const WebhookDeliveryList = z.object({ object: z.literal("list"), data: z.array(WebhookDelivery) }).openapi("WebhookDeliveryList");

export const WebhookParams = z.object({ id: WebhookId });
export const DeliveryParams = z.object({ id: WebhookId, delivery_id: DeliveryId });
export const DeliveryQuery = z.object({ limit: pageLimit(100, 50) });
