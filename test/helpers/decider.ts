/**
 * given(events).when(command).then(events) / .thenError(code) for the account
 * decider, with a fixed clock and counting ids so expected events are exact.
 */
import { expect } from "vitest";
import {
  type AccountCommand,
  type AccountEvent,
  type AccountState,
  decide,
  evolve,
  INITIAL_STATE,
  memoryReads,
} from "../../src/domain/account/index";
import { DomainError, type ErrorCode } from "../../src/domain/errors";

export const NOW = "2026-06-15T12:00:00.000Z";

export function given(...events: AccountEvent[]) {
  const state: AccountState = events.reduce((s, e) => evolve(s, e, NOW), INITIAL_STATE);
  return {
    state,
    when(command: AccountCommand, now = NOW) {
      let n = 0;
      const run = () =>
        decide(command, state.account, {
          now,
          newEntryId: () => `txn_new${++n}`,
          newTransferId: () => `trf_new${++n}`,
          reads: memoryReads(state),
        });
      return {
        then(expected: AccountEvent[]) {
          expect(run()).toEqual(expected);
        },
        thenError(code: ErrorCode, details?: unknown) {
          try {
            run();
          } catch (e) {
            expect(e).toBeInstanceOf(DomainError);
            expect((e as DomainError).code).toBe(code);
            if (details !== undefined) expect((e as DomainError).details).toEqual(details);
            return;
          }
          throw new Error(`expected ${code}, but the command was accepted`);
        },
        events: run,
      };
    },
  };
}
