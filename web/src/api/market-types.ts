/** Short names for the market and trading schemas (kept apart from types.ts; generated into schema.d.ts by `npm run gen:web-api`). */
import type { components } from "./schema";

type S = components["schemas"];
export type MarketSymbol = S["MarketSymbol"];
export type Snapshot = S["Snapshot"];
export type Bar = NonNullable<S["Bar"]>;
export type MarketClock = S["MarketClock"];
export type Order = S["Order"];
export type Position = S["Position"];
export type CreateOrder = S["CreateOrder"];
