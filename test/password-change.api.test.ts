/**
 * POST /v1/me/password through the Worker: the current password is checked
 * like a login (and throttled like one), the new one must be strong and
 * different, and a change signs out every other session (access and refresh
 * tokens), keeps the caller's, and leaves a password_changed notice in the
 * inbox and in the local mailbox. Bad input changes nothing.
 */
import { describe, expect, it } from "vitest";
import { api, randomClientIp, registerUser } from "./helpers/auth";
import { allMessages, rawMessage } from "./helpers/mail";
import { waitFor } from "./helpers/pipeline";

const OLD = "correct horse battery staple";
const NEW = "a different horse, battery stapled";

const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  api("POST", "/v1/auth/login", { body: { email, password }, headers });
const change = (token: string, body: unknown, headers: Record<string, string> = {}) =>
  api("POST", "/v1/me/password", { token, body, headers });

describe("POST /v1/me/password", () => {
  it("changes the password, signs out the other sessions, keeps the caller's, and notifies by inbox and email", async () => {
    const reg = await registerUser({ password: OLD });
    const other = await login(reg.user.email, OLD, { "user-agent": "OtherDevice/1.0" });
    expect(other.status).toBe(200);

    const res = await change(reg.access_token, { current_password: OLD, new_password: NEW }, { "user-agent": "TestBrowser/2.0" });
    expect(res.status).toBe(200);
    expect(res.body.revoked_sessions).toBe(1);
    expect(Date.parse(res.body.changed_at)).toBeGreaterThan(Date.now() - 60_000);

    expect((await login(reg.user.email, OLD)).status).toBe(401);
    expect((await login(reg.user.email, NEW)).status).toBe(200);
    // The other session: its access token and its refresh token both stop at once.
    expect((await api("GET", "/v1/me", { token: other.body.access_token })).status).toBe(401);
    expect((await api("POST", "/v1/auth/refresh", { body: { refresh_token: other.body.refresh_token } })).status).toBe(401);
    // The caller's session stays: its access token works and its refresh token rotates.
    expect((await api("GET", "/v1/me", { token: reg.access_token })).status).toBe(200);
    const refreshed = await api("POST", "/v1/auth/refresh", { body: { refresh_token: reg.refresh_token } });
    expect(refreshed.status).toBe(200);

    const inbox = await api("GET", "/v1/notifications?kind=password_changed", { token: refreshed.body.access_token });
    expect(inbox.status).toBe(200);
    expect(inbox.body.data).toHaveLength(1);
    expect(inbox.body.data[0]).toMatchObject({ kind: "password_changed", read_at: null });
    expect(inbox.body.data[0].body).toContain("TestBrowser/2.0");

    const mail = await waitFor(async () =>
      (await allMessages()).find((m) => m.to === reg.user.email && m.idempotency_key.startsWith("notification:password:")),
    );
    expect(mail.subject).toBe("Your password was changed");
    expect(await rawMessage(mail.id)).toContain("Subject: Your password was changed\r\n");
  });

  it("refuses a wrong current password with 403 and changes nothing", async () => {
    const reg = await registerUser({ password: OLD });
    const res = await change(reg.access_token, { current_password: "not my password", new_password: NEW });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: "forbidden", message: "The current password is wrong" });
    expect((await login(reg.user.email, OLD)).status).toBe(200);
    expect((await login(reg.user.email, NEW)).status).toBe(401);
    expect((await api("GET", "/v1/me", { token: reg.access_token })).status).toBe(200);
  });

  it("throttles wrong current passwords like logins: 429 with Retry-After, even for the right one then", async () => {
    const reg = await registerUser({ password: OLD });
    const ip = { "cf-connecting-ip": randomClientIp() };
    for (let i = 0; i < 5; i++)
      expect((await change(reg.access_token, { current_password: `wrong ${i} password`, new_password: NEW }, ip)).status).toBe(403);
    const limited = await change(reg.access_token, { current_password: OLD, new_password: NEW }, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await login(reg.user.email, NEW)).status).toBe(401);
  });

  it("refuses bad input with a 4xx envelope and changes nothing", async () => {
    const reg = await registerUser({ password: OLD });
    const bad: [string, unknown][] = [
      ["weak new password", { current_password: OLD, new_password: "short" }],
      ["new password too long", { current_password: OLD, new_password: "x".repeat(129) }],
      ["same as the current one", { current_password: OLD, new_password: OLD }],
      ["missing new", { current_password: OLD }],
      ["missing current", { new_password: NEW }],
      ["empty current", { current_password: "", new_password: NEW }],
      ["current too long", { current_password: "x".repeat(1025), new_password: NEW }],
      ["numbers", { current_password: 1234567890, new_password: 12345678901 }],
      ["null", { current_password: null, new_password: null }],
      ["unknown field", { current_password: OLD, new_password: NEW, logout_all: true }],
      ["array body", [OLD, NEW]],
    ];
    for (const [label, body] of bad) {
      const res = await change(reg.access_token, body);
      expect(res.status, label).toBe(400);
      expect(res.body.error.code, label).toBe("validation_error");
    }
    const broken = await api("POST", "/v1/me/password", { token: reg.access_token, rawBody: '{"current_password":' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe("invalid_json");
    const huge = await api("POST", "/v1/me/password", {
      token: reg.access_token,
      rawBody: JSON.stringify({ current_password: "x".repeat(70_000), new_password: NEW }),
    });
    expect(huge.status).toBe(413);
    const text = await api("POST", "/v1/me/password", {
      token: reg.access_token,
      rawBody: "current_password=x",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect((await api("POST", "/v1/me/password", { body: { current_password: OLD, new_password: NEW } })).status).toBe(401);
    expect((await change("not-a-token", { current_password: OLD, new_password: NEW })).status).toBe(401);
    // Nothing changed through any of it.
    expect((await login(reg.user.email, OLD)).status).toBe(200);
  });

  it("is documented in /openapi.json", async () => {
    const doc = await api("GET", "/openapi.json");
    expect(doc.body.paths["/v1/me/password"].post.operationId).toBe("changePassword");
    expect(doc.body.paths["/v1/admin/mail"].get.operationId).toBe("listMail");
    expect(doc.body.paths["/v1/admin/mail/{id}"].get.operationId).toBe("getMail");
  });
});
