/** The route cache (src/lib/route-cache.ts) answers as the router would: params per path, misses, the bound. */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { cacheRoutes, MAX_PATHS } from "../src/lib/route-cache";

function app() {
  const a = new Hono();
  a.use("*", async (c, next) => {
    await next();
    c.res.headers.set("X-Mw", "1");
  });
  a.get("/items/:id", (c) => c.text(`item ${c.req.param("id")}`));
  a.get("/items/special", (c) => c.text("special"));
  a.post("/items/:id/notes/:note", (c) => c.json(c.req.param()));
  cacheRoutes(a.router);
  return a;
}

describe("route cache", () => {
  it("gives each path its own params, repeated or not, and keeps method and middleware", async () => {
    const a = app();
    for (const id of ["1", "2", "1", "x%20y", "2"]) {
      const r = await a.request(`/items/${id}`);
      expect(await r.text()).toBe(`item ${decodeURIComponent(id)}`);
      expect(r.headers.get("X-Mw")).toBe("1");
    }
    // Registration order decides between the param route and the static one, as without the cache.
    expect(await (await a.request("/items/special")).text()).toBe("item special");
    expect(await (await a.request("/items/3/notes/n1", { method: "POST" })).json()).toEqual({ id: "3", note: "n1" });
    expect(await (await a.request("/items/4/notes/n2", { method: "POST" })).json()).toEqual({ id: "4", note: "n2" });
    expect((await a.request("/items/3/notes/n1")).status).toBe(404);
    expect((await a.request("/nothing")).status).toBe(404);
  });

  it("stays right past its bound and for paths too long to keep", async () => {
    const a = app();
    for (let i = 0; i < MAX_PATHS + 10; i++) await a.request(`/items/${i}`);
    expect(await (await a.request("/items/7")).text()).toBe("item 7");
    const long = "z".repeat(500);
    expect(await (await a.request(`/items/${long}`)).text()).toBe(`item ${long}`);
    expect(await (await a.request(`/items/${long}`)).text()).toBe(`item ${long}`);
  });
});
