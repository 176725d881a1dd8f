/** Fault injection on an AccountDO's binding to other accounts: the destination's credit fails. */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { AccountDO } from "../../durable/account-do";

export type CreditFault = "before-credit" | "after-credit";

/**
 * From now on (or for the next call only, with `once`), this source's calls to
 * `creditTransfer` fail like a network partition: before the destination
 * applied the credit, or after it did (the reply is lost). The fault lives in
 * the instance, so an eviction (a crash) clears it.
 */
export async function breakCredits(sourceId: string, mode: CreditFault, opts: { once?: boolean } = {}): Promise<void> {
  await runInDurableObject(env.ACCOUNT.get(env.ACCOUNT.idFromName(sourceId)), (inst: AccountDO) => {
    const real = env.ACCOUNT;
    let armed = true;
    (inst as unknown as { env: Env }).env = {
      ...env,
      ACCOUNT: {
        idFromName: (n: string) => real.idFromName(n),
        get: (id: DurableObjectId) => {
          const s = real.get(id);
          return {
            describeForTransfer: () => s.describeForTransfer(),
            creditTransfer: async (cmd: never) => {
              if (!armed) return s.creditTransfer(cmd);
              if (opts.once) armed = false;
              if (mode === "after-credit") await s.creditTransfer(cmd);
              throw new Error("network partition");
            },
          };
        },
      } as unknown as Env["ACCOUNT"],
    };
  });
}

type SentMessages = { body: { seq: number; type: string; event_id: string } }[];

/**
 * Route this object's outbox sends through `fn` first (the real queue behind
 * it unless `fn` throws, which fails the send). Lives in the instance's env,
 * so an eviction (a crash) restores the real binding.
 */
export async function tapQueue(accountId: string, fn: (msgs: SentMessages) => void): Promise<void> {
  await runInDurableObject(env.ACCOUNT.get(env.ACCOUNT.idFromName(accountId)), (inst: AccountDO) => {
    const holder = inst as unknown as { env: Env };
    holder.env = {
      ...holder.env,
      EVENTS: {
        sendBatch: async (msgs: Iterable<MessageSendRequest>) => {
          fn([...msgs] as unknown as SentMessages);
          return env.EVENTS.sendBatch(msgs);
        },
      } as unknown as Env["EVENTS"],
    };
  });
}

/** Housekeeping runs at most once a second: wait that out so the next alarm run does it. */
export const housekeepingDue = () => new Promise((r) => setTimeout(r, 1_100));

/**
 * Keep this account's payment hand-overs to the test: the payments queue
 * messages are captured in `sent` instead of queued, so the test delivers
 * them to the consumer itself (when, how often, with which failpoint).
 */
export async function capturePayments(accountId: string): Promise<unknown[]> {
  const sent: unknown[] = [];
  await runInDurableObject(env.ACCOUNT.get(env.ACCOUNT.idFromName(accountId)), (inst: AccountDO) => {
    const holder = inst as unknown as { env: Env };
    holder.env = { ...holder.env, PAYMENTS: { send: async (body: unknown) => void sent.push(body) } as unknown as Env["PAYMENTS"] };
  });
  return sent;
}
