/** The dashboard's "Portfolio" figure: the value of all brokerage accounts from Gold, linking to the portfolio page. */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { Link } from "../../components/link";
import { Money } from "../../components/money";
import { useData } from "../../components/use-data";

export function PortfolioFigure({ pollMs }: { pollMs: number }) {
  const { data } = useData(() => api.GET("/v1/portfolio").then(unwrap), [], { pollMs });
  if (!data || data.accounts.length === 0) return null;
  return (
    <section class="card" aria-labelledby="h-portfolio">
      <h2 id="h-portfolio">
        <Link href="/portfolio">Portfolio</Link>
      </h2>
      <ul class="figures" data-testid="dashboard-portfolio">
        <li>
          <Money amount={data.total_value} currency={data.currency} />
        </li>
        <li class="muted">
          cash <Money amount={data.cash} currency={data.currency} />
        </li>
      </ul>
    </section>
  );
}
