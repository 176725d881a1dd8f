/**
 * The dashboard, from Gold (the pipeline's read models) plus live budgets:
 * net worth, the month's cashback estimate, balances, cash flow with savings rate, spending by category
 * month over month, budgets with their pace, month-to-date spending and the
 * latest transactions, and the newest unread alerts. Reloads every few
 * seconds, so new activity shows up without a page reload; `as_of` says how
 * fresh Gold is.
 */
import { Budgets } from "../../components/budget-list";
import { Link } from "../../components/link";
import { Money } from "../../components/money";
import { ErrorNote, Loading } from "../../components/status";
import { TransactionTable } from "../../components/transaction-table";
import { useData } from "../../components/use-data";
import { addMonths, formatAgo, formatDateTime, monthOf } from "../../lib/dates";
import type { PageRoute } from "../../router";
import { Accounts, BalanceHistory } from "./balances";
import { CashbackFigure } from "./cashback-figure";
import { CashFlow } from "./cash-flow";
import { loadDashboard } from "./load";
import { PortfolioFigure } from "./portfolio-figure";
import { Spending } from "./spending";
import { UnreadAlerts } from "./unread-alerts";

export const POLL_MS = 4000;

function DashboardPage() {
  const { data, error, loading } = useData(() => loadDashboard(), [], { pollMs: POLL_MS });
  if (loading && !data) return <Loading what="Loading your dashboard" />;
  if (!data) return <ErrorNote error={error} />;
  const { dashboard } = data;
  const month = monthOf(new Date());
  return (
    <>
      <div class="page-head">
        <h1>Dashboard</h1>
        <p class="muted" data-testid="as-of">
          {dashboard.as_of ? (
            <>
              Analytics as of <time dateTime={dashboard.as_of}>{formatDateTime(dashboard.as_of)}</time> ({formatAgo(dashboard.as_of)})
            </>
          ) : (
            "Analytics have not run yet"
          )}
        </p>
      </div>
      <ErrorNote error={error} />
      {dashboard.accounts.length === 0 ? (
        <section class="card">
          <h2>Welcome</h2>
          <p>
            You have no accounts yet. <Link href="/accounts">Open your first account</Link>.
          </p>
        </section>
      ) : null}
      <div class="grid">
        <section class="card" aria-labelledby="h-networth">
          <h2 id="h-networth">Net worth</h2>
          <ul class="figures" data-testid="net-worth">
            {dashboard.net_worth.map((n) => (
              <li key={n.currency}>
                <Money amount={n.amount} currency={n.currency} />
              </li>
            ))}
          </ul>
        </section>
        <PortfolioFigure pollMs={POLL_MS} />
        <CashbackFigure pollMs={POLL_MS} />
        <section class="card" aria-labelledby="h-mtd">
          <h2 id="h-mtd">Spent this month</h2>
          <ul class="figures" data-testid="month-to-date">
            {dashboard.month_to_date_spending.length === 0 && <li class="muted">Nothing yet</li>}
            {dashboard.month_to_date_spending.map((n) => (
              <li key={n.currency}>
                <Money amount={n.amount} currency={n.currency} />
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section class="card" aria-labelledby="h-accounts">
        <h2 id="h-accounts">Accounts</h2>
        <Accounts dashboard={dashboard} />
        <BalanceHistory history={data.history} />
      </section>
      <UnreadAlerts items={data.unread} total={data.unreadCount} />
      <section class="card" aria-labelledby="h-budgets">
        <h2 id="h-budgets">Budgets</h2>
        <Budgets items={data.budgets} />
      </section>
      <section class="card" aria-labelledby="h-cashflow" data-testid="cash-flow">
        <h2 id="h-cashflow">Cash flow</h2>
        <CashFlow months={data.months} />
      </section>
      <section class="card" aria-labelledby="h-spending" data-testid="spending">
        <h2 id="h-spending">Spending by category</h2>
        <Spending now={data.spending} before={data.spendingPrev} month={month} prevMonth={addMonths(month, -1)} />
      </section>
      <section class="card" aria-labelledby="h-recent">
        <h2 id="h-recent">Recent transactions</h2>
        {data.recent.length === 0 ? (
          <p class="muted">No transactions yet.</p>
        ) : (
          <TransactionTable rows={data.recent} caption="Latest entries" />
        )}
      </section>
    </>
  );
}

export const route: PageRoute = {
  path: "/",
  title: "Dashboard",
  access: "user",
  nav: { label: "Dashboard", order: 0 },
  component: DashboardPage,
};
