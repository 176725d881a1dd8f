/**
 * The email channel end to end in the Workers runtime: notification sources
 * through the real EVENTS consumer, the UserDO's preferences, the real
 * NOTIFICATIONS queue and its consumer, the local sender writing RFC 5322
 * text to the real R2 bucket, and the admin mailbox routes. Retries, backoff
 * and the DLQ are driven with the sender that fails on purpose (EMAIL_FAIL).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { backoffSeconds, MAX_ATTEMPTS } from "../queues/notifications";
import { loadConfig } from "../src/config";
import { randomToken } from "../src/domain/ids";
import { CLAIM_LEASE_MS, claimKey } from "../src/lib/email/mailbox";
import { encodeHeaderText, quotedPrintable } from "../src/lib/email/message";
import { EmailSendError, httpSender } from "../src/lib/email/senders";
import { emailNotice, type EmailJob, quietHoursEnd } from "../src/domain/notifications/email";
import { defaultPreferences } from "../src/domain/notifications/kinds";
import type { AnyEvent } from "../src/events/catalog";
import { api, registerUser } from "./helpers/auth";
import { EventFactory, type TestAccount } from "./helpers/events";
import { allMessages, deadJobsWhere, deliverEmails, messagesWithKey, rawMessage, settledMessagesWithKey } from "./helpers/mail";
import { adminToken, deliverEvents, tokenFor, waitFor } from "./helpers/pipeline";

const userDO = (userId: string) => env.USER.get(env.USER.idFromName(userId));

const crossed = (acct: TestAccount, threshold: number): AnyEvent =>
  new EventFactory(acct.userId).budgetCrossed(acct, { threshold, spent: 8_000, category: "café" });

const job = (over: Partial<EmailJob> = {}): EmailJob =>
  ({
    idempotency_key: `test:${crypto.randomUUID()}`,
    to: "ada@example.test",
    template: "notification",
    data: { kind: "transfer_failed", title: "Transfer failed", body: "Your transfer of 25.00 USD was rejected.", link: "/transfers" },
    ...over,
  }) as EmailJob;

describe("email from notifications", () => {
  it("a budget crossing with email on sends exactly one message, though the event and its job arrive twice", async () => {
    const { user } = await registerUser();
    const f = new EventFactory(user.id);
    const a = f.account();
    const event = crossed(a, 0.8);
    expect((await deliverEvents([event])).retryMessages).toEqual([]);
    expect((await deliverEvents([event, event])).retryMessages).toEqual([]); // redelivered: the job is enqueued again
    const key = `notification:${event.event_id}`;
    const sent = await settledMessagesWithKey(key);
    expect(sent).toHaveLength(1);

    // The same job straight to the consumer, twice in one batch and once more: no second message.
    const body: EmailJob = {
      idempotency_key: key,
      to: user.email,
      template: "notification",
      data: { kind: "budget_threshold_crossed", title: "x", body: "y", link: null },
    };
    const again = await deliverEmails([body, body]);
    expect(again.result.explicitAcks).toHaveLength(2);
    expect(await messagesWithKey(key)).toHaveLength(1);

    const m = sent[0]!;
    expect(m).toMatchObject({ to: user.email, template: "notification", subject: 'Budget "café" at 80 %' });
    const raw = await rawMessage(m.id);
    const split = raw.indexOf("\r\n\r\n");
    const [head, text] = [raw.slice(0, split), raw.slice(split + 4)];
    expect(head).toMatch(/^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/m);
    expect(head).toContain("From: FinEdge <no-reply@finedge.local>");
    expect(head).toMatch(new RegExp(`^To: ${user.email.replaceAll(".", "\\.")}$`, "m"));
    expect(head).toMatch(/^Message-ID: <[0-9a-f]{32}@finedge\.local>$/m);
    expect(head).toContain("MIME-Version: 1.0");
    expect(head).toContain("Content-Type: text/plain; charset=utf-8");
    expect(head).toContain("Content-Transfer-Encoding: quoted-printable");
    // A non-ASCII subject is an RFC 2047 encoded word that decodes back to the title.
    const word = /^Subject: =\?UTF-8\?B\?([^?]+)\?=$/m.exec(head ?? "")?.[1] ?? "";
    expect(new TextDecoder().decode(Uint8Array.from(atob(word), (c) => c.charCodeAt(0)))).toBe('Budget "café" at 80 %');
    // Every line 7-bit and short; the body names the amounts and links to the budgets page.
    for (const line of raw.split("\r\n")) expect(line.length).toBeLessThanOrEqual(998);
    expect(/^[\x00-\x7f]*$/.test(text ?? "")).toBe(true);
    expect(text).toContain("$80.00");
    expect(text).toContain("https://finedge.local/budgets");
  });

  it("sends nothing when the preferences turn email off for the kind (the inbox still gets it)", async () => {
    const { user } = await registerUser();
    await userDO(user.id).setNotificationPreferences({ kinds: { budget_threshold_crossed: { email: false } } });
    const f = new EventFactory(user.id);
    const event = crossed(f.account(), 0.9);
    await deliverEvents([event]);
    const inbox = (await userDO(user.id).listNotifications({
      cursor: null,
      unread: false,
      kind: "budget_threshold_crossed",
      limit: 10,
    })) as unknown as {
      items: unknown[];
    };
    expect(inbox.items).toHaveLength(1);
    // The UserDO names no email for it; a redelivery enqueues none either.
    const { emails } = await userDO(user.id).deliverNotifications([
      { kind: "budget_threshold_crossed", title: "t", body: "b", link: null, source_event_id: event.event_id, data: {} },
    ]);
    expect(emails).toEqual([]);
    // Control: a kind still emailed by default does produce one.
    const { emails: on } = await userDO(user.id).deliverNotifications([
      { kind: "transfer_failed", title: "t", body: "b", link: null, source_event_id: `evt_${randomToken()}`, data: {} },
    ]);
    expect(on).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 800));
    expect(await messagesWithKey(`notification:${event.event_id}`)).toEqual([]);
  });

  it("sends the sign-up confirmation", async () => {
    const { user } = await registerUser({ name: "Ada" });
    const [m] = await settledMessagesWithKey(`signup:${user.id}`);
    expect(m).toMatchObject({ to: user.email, template: "signup_confirmation" });
    expect(await rawMessage(m!.id)).toContain("Hello Ada");
  });

  it("emails a sign-in from a new device (a security notice, on by default)", async () => {
    const { user } = await registerUser({ password: "correct horse battery staple" });
    const login = await api("POST", "/v1/auth/login", {
      body: { email: user.email, password: "correct horse battery staple" },
      headers: { "user-agent": "NewDevice/1.0" },
    });
    expect(login.status).toBe(200);
    const m = await waitFor(async () =>
      (await allMessages()).find((x) => x.to === user.email && x.idempotency_key.startsWith("notification:login:")),
    );
    expect(m.subject).toBe("New sign-in to your account");
    expect(await rawMessage(m.id)).toContain("NewDevice/1.0");
  });

  it("defers a non-security email to the end of quiet hours; a security notice is never deferred", () => {
    const prefs = { ...defaultPreferences(), quiet_hours: { start: "22:00", end: "07:00", utc_offset_minutes: 60 } };
    const at = Date.parse("2026-12-03T23:30:00Z"); // 00:30 local
    const draft = { kind: "budget_threshold_crossed" as const, title: "t", body: "b", link: null, source_event_id: "e", data: {} };
    expect(emailNotice(prefs, draft, at)?.not_before).toBe(Date.parse("2026-12-04T06:00:00Z"));
    expect(emailNotice(prefs, { ...draft, kind: "new_device_login" }, at)?.not_before).toBeNull();
    expect(emailNotice(prefs, draft, Date.parse("2026-12-03T12:00:00Z"))?.not_before).toBeNull();
    expect(quietHoursEnd({ start: "09:00", end: "17:00", utc_offset_minutes: 0 }, Date.parse("2026-12-03T16:59:30Z"))).toBe(
      Date.parse("2026-12-03T17:00:00Z"),
    );
  });

  it("a deferred job is not sent before its time", async () => {
    const j = job({ not_before: Date.now() + 3_600_000 });
    const { result } = await deliverEmails([j]);
    expect(result.explicitAcks).toHaveLength(1); // re-sent with a delay, this delivery done
    expect(await messagesWithKey(j.idempotency_key)).toEqual([]);
  });
});

describe("the idempotency claim (R2 conditional puts)", () => {
  it("lets exactly one of concurrent deliveries claim a key; an expired claim is taken over; sent is final", async () => {
    const key = `test:${crypto.randomUUID()}`;
    const claims = await Promise.all(Array.from({ length: 5 }, () => claimKey(env.LAKE, key)));
    expect(claims.filter((c) => c.outcome === "claimed")).toHaveLength(1);
    expect(claims.filter((c) => c.outcome === "busy")).toHaveLength(4);
    // Its holder died: after the lease, one delivery takes it over (by the etag it read), once.
    const later = Date.now() + CLAIM_LEASE_MS + 1;
    const takeovers = await Promise.all(Array.from({ length: 3 }, () => claimKey(env.LAKE, key, later)));
    const winner = takeovers.find((c) => c.outcome === "claimed");
    expect(takeovers.filter((c) => c.outcome === "claimed")).toHaveLength(1);
    if (winner?.outcome !== "claimed") throw new Error("no takeover");
    await winner.markSent(null);
    expect((await claimKey(env.LAKE, key, later + CLAIM_LEASE_MS * 10)).outcome).toBe("sent");
    // A released claim (a failed send) can be claimed again at once.
    const other = `test:${crypto.randomUUID()}`;
    const first = await claimKey(env.LAKE, other);
    if (first.outcome !== "claimed") throw new Error("not claimed");
    await first.release();
    expect((await claimKey(env.LAKE, other)).outcome).toBe("claimed");
  });

  it("two consumers delivering the same job at once send one message", async () => {
    const j = job();
    const [a, b] = await Promise.all([deliverEmails([j]), deliverEmails([j])]);
    expect(
      a.result.explicitAcks.length + b.result.explicitAcks.length + a.result.retryMessages.length + b.result.retryMessages.length,
    ).toBe(2);
    expect(await messagesWithKey(j.idempotency_key)).toHaveLength(1);
  });
});

describe("retries, backoff and the DLQ", () => {
  it("retries a failing send with growing, jittered delays, then parks it in the DLQ; nothing is sent", async () => {
    const j = job();
    const failing = { EMAIL_FAIL: "always" } as Partial<Env>;
    const delays: number[] = [];
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const { result, retryDelays } = await deliverEmails([j], { attempts: attempt, env: failing });
      expect(result.retryMessages).toHaveLength(1);
      expect(result.explicitAcks).toEqual([]);
      const d = retryDelays[0]!;
      const ceiling = Math.min(3600, 10 * 2 ** (attempt - 1));
      expect(d).toBeGreaterThanOrEqual(Math.ceil(ceiling / 2));
      expect(d).toBeLessThanOrEqual(ceiling);
      delays.push(d);
    }
    expect(delays[delays.length - 1]!).toBeGreaterThan(delays[0]!);
    expect(Math.max(...delays)).toBeLessThanOrEqual(43_200);
    const last = await deliverEmails([j], { attempts: MAX_ATTEMPTS, env: failing });
    expect(last.result.explicitAcks).toHaveLength(1);
    const [dead] = await waitFor(async () => {
      const found = await deadJobsWhere((b) => b.idempotency_key === j.idempotency_key);
      return found.length > 0 && found;
    });
    expect(dead).toMatchObject({ kind: "email_dead_letter", attempts: MAX_ATTEMPTS });
    expect(String(dead!.reason)).toContain("EMAIL_FAIL");
    expect(await messagesWithKey(j.idempotency_key)).toEqual([]);
  });

  it("a send that fails twice is retried and goes out once on the third attempt", async () => {
    const j = job();
    const flaky = { EMAIL_FAIL: "2" } as Partial<Env>;
    for (const attempt of [1, 2])
      expect((await deliverEmails([j], { attempts: attempt, env: flaky })).result.retryMessages).toHaveLength(1);
    expect((await deliverEmails([j], { attempts: 3, env: flaky })).result.explicitAcks).toHaveLength(1);
    expect((await deliverEmails([j], { attempts: 4, env: flaky })).result.explicitAcks).toHaveLength(1);
    expect(await messagesWithKey(j.idempotency_key)).toHaveLength(1);
  });

  it("sends a poison message straight to the DLQ with its reason", async () => {
    const tag = crypto.randomUUID();
    const poison = [
      { tag, note: "no fields at all" },
      { ...job(), tag, template: "nope" },
      { ...job(), to: "not an address", tag },
      { ...job({ data: { kind: "transfer_failed", title: "", body: "b", link: null } }) },
    ];
    (poison[3] as Record<string, unknown>).tag = tag;
    const { result } = await deliverEmails(poison, { attempts: 1 });
    expect(result.explicitAcks).toHaveLength(4);
    expect(result.retryMessages).toEqual([]);
    const dead = await waitFor(async () => {
      const found = await deadJobsWhere((b) => b.tag === tag);
      return found.length === 4 && found;
    });
    for (const d of dead) {
      expect(d.attempts).toBe(1);
      expect(String(d.reason)).toMatch(/^invalid email job/);
    }
  });

  it("backoff stays within Queues' delay limit at any attempt", () => {
    for (const attempt of [1, 5, 20, 1000]) {
      expect(backoffSeconds(attempt, () => 0)).toBeGreaterThanOrEqual(1);
      expect(backoffSeconds(attempt, () => 0.999)).toBeLessThanOrEqual(3600);
    }
  });
});

describe("the RFC 5322 writer", () => {
  // An independent decoder: soft breaks removed, =XX back to bytes, then UTF-8.
  const decodeQp = (qp: string) => {
    const joined = qp.replace(/=\r\n/g, "");
    const bytes: number[] = [];
    for (let i = 0; i < joined.length; i++) {
      if (joined[i] === "=") {
        bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(joined.charCodeAt(i));
    }
    return new TextDecoder().decode(new Uint8Array(bytes)).replace(/\r\n/g, "\n");
  };

  it("round-trips any text through quoted-printable in 7-bit lines of at most 76 characters", () => {
    const samples = [
      "plain",
      "trailing space ",
      "tab\tin the middle\t",
      "a=b and ==",
      `${"é".repeat(60)} end`,
      `${"x".repeat(200)}`,
      "line one\nline two\r\nline three\n\n",
      "emoji 💸 and 日本語 and — dashes",
      "",
    ];
    for (const text of samples) {
      const qp = quotedPrintable(text);
      for (const line of qp.split("\r\n")) {
        expect(line.length, text).toBeLessThanOrEqual(76);
        expect(/^[\x21-\x7e\t ]*$/.test(line), text).toBe(true);
        expect(/[ \t]$/.test(line), text).toBe(false);
      }
      expect(decodeQp(qp), text).toBe(text.replace(/\r\n/g, "\n"));
    }
  });

  it("encodes non-ASCII header text as RFC 2047 words and drops line breaks (no header injection)", () => {
    expect(encodeHeaderText("Plain subject")).toBe("Plain subject");
    expect(encodeHeaderText("Hi\r\nBcc: evil@example.test")).toBe("Hi Bcc: evil@example.test");
    const long = "Überweisung fehlgeschlagen — ".repeat(4);
    const words = encodeHeaderText(long).split("\r\n ");
    expect(words.length).toBeGreaterThan(1);
    const decoded = words
      .map((w) => /^=\?UTF-8\?B\?([^?]+)\?=$/.exec(w)![1]!)
      .map((b) => new TextDecoder().decode(Uint8Array.from(atob(b), (c) => c.charCodeAt(0))))
      .join("");
    expect(decoded).toBe(long);
    for (const w of words) expect(w.length).toBeLessThanOrEqual(76);
  });
});

describe("the http sender", () => {
  it("posts the message with its key, and tells retryable failures from permanent ones", async () => {
    const seen: Request[] = [];
    let status = 202;
    // A stand-in for the provider's API (external to FinEdge): records each request, answers `status`.
    const receiver = (async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Request(input, init));
      return new Response("{}", { status });
    }) as typeof fetch;
    const sender = httpSender("https://mail.example.test/send", "k".repeat(40), receiver);
    const message = {
      messageId: "<abc@finedge.local>",
      from: "FinEdge <no-reply@finedge.local>",
      to: "ada@example.test",
      subject: "Hi",
      text: "Body",
      date: new Date(),
    };
    const ctx = { attempt: 1, idempotencyKey: "notification:evt_1", template: "notification" };
    expect(await sender.send(message, ctx)).toBeNull();
    const req = seen[0]!;
    expect(req.method).toBe("POST");
    expect(req.headers.get("authorization")).toBe(`Bearer ${"k".repeat(40)}`);
    expect(req.headers.get("idempotency-key")).toBe("notification:evt_1");
    expect(await req.json()).toEqual({
      from: message.from,
      to: message.to,
      subject: "Hi",
      text: "Body",
      headers: { "Message-ID": "<abc@finedge.local>" },
    });
    for (const [code, permanent] of [
      [429, false],
      [503, false],
      [408, false],
      [400, true],
      [422, true],
      [301, true],
    ] as const) {
      status = code;
      const err = await sender.send(message, ctx).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, String(code)).toBeInstanceOf(EmailSendError);
      expect((err as EmailSendError).permanent, String(code)).toBe(permanent);
    }
    const unreachable = httpSender("https://mail.example.test/send", "k".repeat(40), (async () => {
      throw new TypeError("network down");
    }) as typeof fetch);
    const err = await unreachable.send(message, ctx).catch((e: unknown) => e);
    expect((err as EmailSendError).permanent).toBe(false);
  });
});

describe("configuration of the email channel", () => {
  const problems = (over: Partial<Record<keyof Env, string | undefined>>) => {
    // The test env's local-only switches (loopback webhooks) are off here: only the email settings are judged.
    const r = loadConfig({ ...env, WEBHOOK_ALLOW_LOOPBACK: "", ...over } as Env);
    return r.ok ? [] : r.problems;
  };

  it("refuses production without the HTTP sender's URL and key, and the fail switch outside local", () => {
    expect(problems({ ENVIRONMENT: "production" }).join()).toMatch(/EMAIL_HTTP_URL/);
    expect(problems({ ENVIRONMENT: "production", EMAIL_SENDER: "local" }).join()).toMatch(/EMAIL_SENDER must be http/);
    expect(
      problems({ ENVIRONMENT: "production", EMAIL_HTTP_URL: "http://mail.example.com/send", EMAIL_HTTP_KEY: "k".repeat(40) }).join(),
    ).toMatch(/https/);
    expect(
      problems({ ENVIRONMENT: "production", EMAIL_HTTP_URL: "https://mail.example.com/send", EMAIL_HTTP_KEY: "short" }).join(),
    ).toMatch(/EMAIL_HTTP_KEY/);
    expect(
      problems({ ENVIRONMENT: "production", EMAIL_HTTP_URL: "https://mail.example.com/send", EMAIL_HTTP_KEY: "k".repeat(40) }),
    ).toEqual([]);
    expect(
      problems({
        ENVIRONMENT: "production",
        EMAIL_HTTP_URL: "https://mail.example.com/send",
        EMAIL_HTTP_KEY: "k".repeat(40),
        EMAIL_FAIL: "always",
      }).join(),
    ).toMatch(/EMAIL_FAIL/);
    expect(problems({ EMAIL_SENDER: "smtp" }).join()).toMatch(/EMAIL_SENDER/);
    expect(problems({ EMAIL_FAIL: "sometimes" }).join()).toMatch(/EMAIL_FAIL/);
    expect(problems({ EMAIL_FROM: "not an address" }).join()).toMatch(/EMAIL_FROM/);
    expect(problems({})).toEqual([]);
  });
});

describe("GET /v1/admin/mail", () => {
  it("lists newest first with a cursor and serves the raw message; only to admins", async () => {
    const a = job();
    const b = job();
    await deliverEmails([a]);
    await new Promise((r) => setTimeout(r, 5));
    await deliverEmails([b]);
    const token = await adminToken();
    const first = await api("GET", "/v1/admin/mail?limit=1", { token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: "list", has_more: true });
    expect(first.body.data).toHaveLength(1);
    const second = await api("GET", `/v1/admin/mail?limit=1&cursor=${first.body.next_cursor}`, { token });
    expect(second.status).toBe(200);
    expect(second.body.data[0].id).not.toBe(first.body.data[0].id);
    expect(second.body.data[0].id > first.body.data[0].id).toBe(true); // ids sort newest first

    const page = await api("GET", "/v1/admin/mail?limit=100", { token });
    const ids = page.body.data.map((m: { id: string }) => m.id);
    expect([...ids].sort()).toEqual(ids);
    const mb = page.body.data.find((m: { idempotency_key: string }) => m.idempotency_key === b.idempotency_key);
    const ma = page.body.data.find((m: { idempotency_key: string }) => m.idempotency_key === a.idempotency_key);
    expect(ids.indexOf(mb.id)).toBeLessThan(ids.indexOf(ma.id));

    const raw = await api("GET", `/v1/admin/mail/${ma.id}`, { token });
    expect(raw.status).toBe(200);
    expect(raw.headers.get("content-type")).toMatch(/^message\/rfc822/);
    expect(raw.body).toContain("Subject: Transfer failed\r\n");
    expect(raw.body).toContain("Your transfer of 25.00 USD was rejected.");
  });

  it("refuses non-admins and bad input without a 5xx", async () => {
    const { access_token } = await registerUser();
    expect((await api("GET", "/v1/admin/mail", { token: access_token })).status).toBe(403);
    expect((await api("GET", "/v1/admin/mail/mail_0000000000000_0123456789abcdef", { token: access_token })).status).toBe(403);
    expect((await api("GET", "/v1/admin/mail")).status).toBe(401);
    const user = await tokenFor(`usr_${randomToken()}`);
    expect((await api("GET", "/v1/admin/mail", { token: user })).status).toBe(403);
    const token = await adminToken();
    for (const q of ["limit=0", "limit=101", "limit=abc", "limit=1e1", "cursor=%%%", "cursor=WyJub3BlIl0", `cursor=${"a".repeat(2000)}`]) {
      const r = await api("GET", `/v1/admin/mail?${q}`, { token });
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe("validation_error");
    }
    for (const id of ["nope", "mail_1_2", "mail_0000000000000_0123456789ABCDEF", "..%2F..%2Fsecret"]) {
      const r = await api("GET", `/v1/admin/mail/${id}`, { token });
      expect(r.status, id).toBe(400);
    }
    const missing = await api("GET", "/v1/admin/mail/mail_0000000000000_0123456789abcdef", { token });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
  });
});
