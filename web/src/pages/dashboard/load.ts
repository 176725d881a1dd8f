/** Everything the dashboard shows, fetched in parallel: Gold read models plus each open account's budgets (live from its Durable Object). */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type {
  AccountTransaction,
  Budget,
  DailyBalance,
  Dashboard,
  DashboardAccount,
  MonthSummary,
  Notification,
  SpendingItem,
} from "../../api/types";
import { addDays, addMonths, dayOf, monthOf } from "../../lib/dates";
import { UNREAD_SHOWN } from "./unread-alerts";

export interface AccountBudgets {
  account: DashboardAccount;
  budgets: Budget[];
}

export interface AccountHistory {
  account: DashboardAccount;
  days: DailyBalance[];
}

export interface DashboardData {
  dashboard: Dashboard;
  months: MonthSummary[];
  spending: SpendingItem[];
  spendingPrev: SpendingItem[];
  budgets: AccountBudgets[];
  history: AccountHistory[];
  recent: AccountTransaction[];
  unread: Notification[];
  unreadCount: number;
}

/** Cash flow months shown, this one included. */
export const MONTHS = 6;
/** Days of balance history in the chart. */
export const HISTORY_DAYS = 90;

export async function loadDashboard(now = new Date()): Promise<DashboardData> {
  const month = monthOf(now);
  const prev = addMonths(month, -1);
  const [dashboard, summary, spending, spendingPrev, recent, unread] = await Promise.all([
    api.GET("/v1/dashboard").then(unwrap),
    api.GET("/v1/analytics/summary", { params: { query: { from: addMonths(month, 1 - MONTHS), to: month } } }).then(unwrap),
    api.GET("/v1/analytics/spending", { params: { query: { month, by: "category", limit: 50 } } }).then(unwrap),
    api.GET("/v1/analytics/spending", { params: { query: { month: prev, by: "category", limit: 50 } } }).then(unwrap),
    api.GET("/v1/transactions", { params: { query: { limit: 8 } } }).then(unwrap),
    api.GET("/v1/notifications", { params: { query: { unread: "true", limit: UNREAD_SHOWN } } }).then(unwrap),
  ]);
  const open = dashboard.accounts.filter((a) => a.status === "open");
  const from = dayOf(addDays(now, 1 - HISTORY_DAYS));
  const to = dayOf(now);
  const [budgets, history] = await Promise.all([
    Promise.all(
      open.map(async (account) => ({
        account,
        budgets: unwrap(await api.GET("/v1/accounts/{id}/budgets", { params: { path: { id: account.id } } })).data,
      })),
    ),
    Promise.all(
      open.slice(0, 5).map(async (account) => ({
        account,
        days: unwrap(
          await api.GET("/v1/analytics/daily-balances", { params: { query: { account_id: account.id, from, to, limit: HISTORY_DAYS } } }),
        ).data,
      })),
    ),
  ]);
  return {
    dashboard,
    months: summary.months,
    spending: spending.data,
    spendingPrev: spendingPrev.data,
    budgets: budgets.filter((b) => b.budgets.length > 0),
    history: history.filter((h) => h.days.length > 0),
    recent: recent.data,
    unread: unread.data,
    unreadCount: unread.unread_count,
  };
}
