/**
 * The webhooks settings page in a real browser against a real `wrangler dev`
 * and a receiver on loopback: add an endpoint (its secret shown once), send
 * a test event that the receiver verifies with `standardwebhooks` under that
 * secret and that the delivery log shows, rotate (a new secret, both verify),
 * redeliver, disable and enable, delete. Bad input shows the API's message.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";
import { createApi } from "./helpers/http";
import { type Receiver, startReceiver, verify } from "./helpers/webhook-receiver";

let server: LocalServer;
let browser: Browser;
let rx: Receiver;
const USER = { email: "hooks@finedge.test", password: "hooks-password-0123" };

beforeAll(async () => {
  rx = await startReceiver();
  server = await startWebServer("finedge-web-webhooks-", { WEBHOOK_ALLOW_LOOPBACK: "on" });
  const reg = await createApi(server.baseUrl).request("POST", "/v1/auth/register", { body: USER });
  if (reg.status !== 201) throw new Error(`register: ${reg.status}`);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rx?.stop();
});

describe("webhooks page", () => {
  it("adds an endpoint with its secret shown once, tests, rotates, redelivers, disables and deletes it", async () => {
    const { page, problems } = await openTab(browser, server.baseUrl);
    await signIn(page, USER.email, USER.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
    await page.getByRole("heading", { level: 1, name: "Webhooks" }).waitFor();

    const form = page.getByTestId("webhook-form");
    // A URL the SSRF guard refuses: the API's reason, nothing created.
    await form.getByLabel("URL").fill("https://10.0.0.1/hook");
    await form.getByLabel("Every kind").check();
    await form.getByRole("button", { name: "Add endpoint" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("non-public range");
    expect(await page.getByTestId("webhook").count()).toBe(0);

    const url = rx.url("/page");
    await form.getByLabel("URL").fill(url);
    await form.getByLabel("Description").fill("from the page");
    await form.getByLabel("Every kind").check();
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("secret-value").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("button", { name: "I have copied it" }).click();
    expect(await page.getByTestId("webhook-secret").count()).toBe(0);
    const row = page.getByTestId("webhook").filter({ hasText: url });
    await expect.poll(() => row.getByTestId("webhook-status").textContent()).toBe("enabled");
    // Shown once: a reload lists the endpoint without any secret.
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.getByRole("button", { name: `Send a test event to ${url}` }).click();
    const first = await waitForRequest(rx, "/page", 1);
    expect(verify(secret, first)).toMatchObject({ type: "webhook.test" });
    const delivery = page.getByTestId("delivery").first();
    await expect.poll(() => delivery.getByTestId("delivery-status").textContent(), { timeout: 15_000 }).toBe("succeeded");
    expect(await delivery.getByTestId("delivery-attempts").textContent()).toMatch(/^#1 204 \(\d+ ms\)$/);

    await page.getByRole("button", { name: `Rotate the secret of ${url}` }).click();
    const rotated = (await page.getByTestId("secret-value").textContent()) ?? "";
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await page.getByRole("button", { name: "I have copied it" }).click();

    await page.getByRole("button", { name: "Redeliver the webhook.test message" }).first().click();
    const second = await waitForRequest(rx, "/page", 2);
    expect(second.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(verify(secret, second).type).toBe("webhook.test");
    expect(verify(rotated, second).type).toBe("webhook.test");
    await expect.poll(() => page.getByTestId("delivery").count(), { timeout: 15_000 }).toBe(2);

    await page.getByRole("button", { name: `Disable ${url}` }).click();
    await expect.poll(() => row.getByTestId("webhook-status").textContent()).toBe("disabled: disabled by the user");
    await page.getByRole("button", { name: `Send a test event to ${url}` }).click();
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("disabled");
    await page.getByRole("button", { name: `Enable ${url}` }).click();
    await expect.poll(() => row.getByTestId("webhook-status").textContent()).toBe("enabled");

    await page.getByRole("button", { name: `Delete ${url}` }).click();
    await expect.poll(() => page.getByTestId("webhook").count()).toBe(0);
    expect(unexpected(problems).filter((p) => !/status of 422/.test(p))).toEqual([]);
  });
});

async function waitForRequest(rx: Receiver, path: string, n: number) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const got = rx.at(path)[n - 1];
    if (got) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`request ${n} to ${path} not received`);
}
