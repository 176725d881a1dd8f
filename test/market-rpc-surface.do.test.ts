/**
 * The market objects' public surfaces are exactly their RPC APIs (and the
 * runtime's handlers): fill delivery, the book and the fan-out stay #private.
 */
import { describe, expect, it } from "vitest";
import { MarketDO } from "../durable/market-do";
import { StreamHubDO } from "../durable/stream-hub-do";

const members = (proto: object) =>
  Object.getOwnPropertyNames(proto)
    .filter((n) => n !== "constructor")
    .sort();

describe("market RPC surfaces", () => {
  it("MarketDO: ingest, reads, the order book's two calls, price alert rules, risk watchers, the hubs' listen/unlisten, its alarm", () => {
    expect(members(MarketDO.prototype)).toEqual(
      [
        "ingest",
        "importHistory",
        "snapshot",
        "bars",
        "quote",
        "bookOrder",
        "unbookOrder",
        "addPriceAlert",
        "priceAlerts",
        "editPriceAlert",
        "removePriceAlert",
        "watchRisk",
        "unwatchRisk",
        "riskWatchers",
        "listen",
        "unlisten",
        "alarm",
      ].sort(),
    );
  });

  it("StreamHubDO: the socket handlers, delivery and the connection registry", () => {
    expect(members(StreamHubDO.prototype)).toEqual(
      [
        "fetch",
        "webSocketMessage",
        "webSocketClose",
        "webSocketError",
        "alarm",
        "deliver",
        "liveConnections",
        "claimConnection",
        "releaseConnection",
        "connectionsView",
      ].sort(),
    );
  });
});
