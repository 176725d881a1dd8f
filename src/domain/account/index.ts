/** The account aggregate: commands, events, the decider and evolve (no Cloudflare, Hono or D1 import). */
export * from "./budget-rules";
export * from "./commands";
export { decide } from "./decide";
export { MAX_BUDGETS } from "./decide-budget";
export { descriptiveOf } from "./decide-annotate";
export { TRANSFER_REJECTED, type ReceiveRefusal } from "./decide-transfer";
export * from "./events";
export * from "./evolve";
export * from "./publish";
export * from "./payment-rules";
export * from "./rules";
export * from "./state";
export * from "./transfer-rules";
