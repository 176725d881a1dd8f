/** Short names for the OpenAPI schemas the pages use (generated into schema.d.ts by `npm run gen:web-api`). */
import type { components } from "./schema";

type S = components["schemas"];
export type User = S["User"];
export type Session = S["Session"];
export type Account = S["Account"];
export type Transaction = S["Transaction"];
export type AccountTransaction = S["AccountTransaction"];
export type TransferLine = S["TransferLine"];
export type Transfer = S["Transfer"];
export type Budget = S["Budget"];
export type Dashboard = S["Dashboard"];
export type DashboardAccount = S["DashboardAccount"];
export type SpendingItem = S["SpendingItem"];
export type DailyBalance = S["DailyBalance"];
export type MonthSummary = S["MonthSummary"];
export type Job = S["Job"];
export type PipelineRun = S["PipelineRun"];
export type DeadLetter = S["DeadLetter"];
export type ReconcileAccount = S["ReconcileAccount"];
export type Notification = S["Notification"];
export type Alert = S["Alert"];
export type PriceAlert = S["PriceAlert"];
export type RiskAlert = S["RiskAlert"];
export type WebhookEndpoint = S["WebhookEndpoint"];
export type WebhookDelivery = S["WebhookDelivery"];
export type ApiErrorBody = S["Error"];
