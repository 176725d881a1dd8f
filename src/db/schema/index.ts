/** Every D1 table, for drizzle-kit and the query builder. */
export * from "./identity";
export * from "./registry";
export * from "./pipeline";
export * from "./portfolio";
export * from "./operations";
export * from "./news";
export * from "./intel";
export * from "./cashback-gold";
export * from "./payments";
export * from "./institutions";
export * from "./digests";
export * from "./watchlist";
