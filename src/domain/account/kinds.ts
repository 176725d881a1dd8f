/** The closed lists of account types and statuses: a leaf module, so the event catalog can import it without a cycle. */
export const ACCOUNT_TYPES = ["checking", "savings", "credit", "brokerage"] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export const ACCOUNT_STATUSES = ["open", "closed"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
