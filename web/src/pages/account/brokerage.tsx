/** What a brokerage account's page adds: its positions and its orders (trading itself is on each symbol's page in Markets). */
import type { Account } from "../../api/types";
import { Orders } from "./orders";
import { Positions } from "./positions";

export function Brokerage({ account, version, onChanged }: { account: Account; version: number; onChanged: () => void }) {
  return (
    <>
      <Positions accountId={account.id} currency={account.currency} version={version} />
      <Orders accountId={account.id} currency={account.currency} version={version} onChanged={onChanged} />
    </>
  );
}
