/** The symbol's MarketDO: one object per symbol, named by it (routes and consumers alike reach it here). */
export function marketStub(env: Env, symbol: string) {
  return env.MARKET.get(env.MARKET.idFromName(symbol));
}
