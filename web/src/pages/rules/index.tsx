/**
 * Rules: your categorization rules (stage, conditions, actions, specificity;
 * enable/disable, delete), a form that previews and creates one, "apply to
 * existing transactions" as a job with live progress, the learned proposals
 * (accept, or disable so it is not proposed again), and your cashback rules.
 * New transactions get your enabled rules as they arrive.
 */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { errorMessage, unwrap } from "../../api/errors";
import type { LearnedRule, Rule } from "../../api/types";
import { DataTable } from "../../components/data-table";
import { JobProgress } from "../../components/job-progress";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { loadAccounts } from "../../lib/accounts";
import type { PageRoute } from "../../router";
import { CashbackRules } from "./cashback-rules";
import { RuleForm } from "./rule-form";

async function load() {
  const [rules, learned, accounts] = await Promise.all([
    api.GET("/v1/rules").then(unwrap),
    api.GET("/v1/rules/learned").then(unwrap),
    loadAccounts(),
  ]);
  return { rules: rules.data, learned: learned.data, accounts };
}

const conditionText = (r: Rule) =>
  r.conditions.map((c) => `${c.field} ${c.op.replace("_", " ")} ${Array.isArray(c.value) ? c.value.join(", ") : c.value}`).join(" and ");
const actionText = (r: Rule) =>
  [
    r.actions.category && `category → ${r.actions.category}`,
    r.actions.merchant && `merchant → ${r.actions.merchant}`,
    r.actions.tags?.length && `tags → ${r.actions.tags.join(", ")}`,
  ]
    .filter(Boolean)
    .join("; ");

const applyJob = async (id: string) => unwrap(await api.GET("/v1/rules/apply/{id}", { params: { path: { id } } }));

function RulesPage() {
  const { data, error, loading, reload } = useData(load, []);
  const [job, setJob] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | undefined>();
  if (loading && !data) return <Loading what="Loading your rules" />;
  if (!data) return <ErrorNote error={error} />;
  const act = async (run: () => Promise<void>) => {
    setActionError(undefined);
    try {
      await run();
      await reload();
    } catch (err) {
      setActionError(errorMessage(err));
    }
  };
  const toggle = (r: Rule) =>
    act(async () => {
      unwrap(await api.PATCH("/v1/rules/{id}", { params: { path: { id: r.id } }, body: { enabled: !r.enabled } }));
    });
  const remove = (r: Rule) =>
    act(async () => {
      unwrap(await api.DELETE("/v1/rules/{id}", { params: { path: { id: r.id } } }));
    });
  const accept = (p: LearnedRule, enabled: boolean) =>
    act(async () => {
      const conditions = [{ field: "merchant" as const, op: "is" as const, value: p.merchant_key }];
      unwrap(
        await api.POST("/v1/rules", {
          body: { stage: "default", conditions, actions: { category: p.category }, enabled, source: "learned" },
        }),
      );
    });
  const apply = () =>
    act(async () => {
      setJob(unwrap(await api.POST("/v1/rules/apply")).id);
    });
  return (
    <>
      <h1>Rules</h1>
      <ErrorNote error={error} />
      <section class="card" aria-labelledby="h-rule-list">
        <h2 id="h-rule-list">Your rules</h2>
        <p class="muted">
          Rules run stage by stage (pre, default, post); within a stage the most specific wins. New transactions get your enabled rules as
          they arrive; a category you set yourself always wins.
        </p>
        <ErrorNote error={actionError} />
        <DataTable
          caption="Categorization rules"
          rows={data.rules}
          rowKey={(r) => r.id}
          rowTestId="rule"
          empty="No rules yet."
          columns={[
            { header: "When", cell: conditionText, rowHeader: true, testId: "rule-conditions" },
            { header: "Then", cell: actionText },
            { header: "Stage", cell: (r) => r.stage },
            { header: "Specificity", cell: (r) => r.specificity, num: true },
            { header: "Source", cell: (r) => (r.source === "learned" ? `learned (${Math.round((r.confidence ?? 0) * 100)} %)` : "yours") },
            { header: "Status", cell: (r) => (r.enabled ? "enabled" : "disabled"), testId: "rule-status" },
            {
              header: "Actions",
              cell: (r) => (
                <span class="actions">
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => void toggle(r)}
                    aria-label={`${r.enabled ? "Disable" : "Enable"} the rule ${conditionText(r)}`}
                  >
                    {r.enabled ? "Disable" : "Enable"}
                  </button>
                  <button type="button" class="danger" onClick={() => void remove(r)} aria-label={`Delete the rule ${conditionText(r)}`}>
                    Delete
                  </button>
                </span>
              ),
            },
          ]}
        />
        <button type="button" onClick={() => void apply()} disabled={data.rules.length === 0}>
          Apply to existing transactions
        </button>
        {job && <JobProgress id={job} label="Applying your rules" load={applyJob} />}
      </section>
      <RuleForm accounts={data.accounts} onCreated={() => void reload()} />
      <section class="card" aria-labelledby="h-learned">
        <h2 id="h-learned">Learned from your edits</h2>
        <DataTable
          caption="Proposed rules: one category in at least 3 of a merchant's last 5 purchases, one of them your edit"
          rows={data.learned}
          rowKey={(p) => p.merchant_key}
          rowTestId="learned"
          empty="Nothing to propose yet."
          columns={[
            { header: "Merchant", cell: (p) => p.merchant_name, rowHeader: true },
            { header: "Category", cell: (p) => p.category },
            { header: "Evidence", cell: (p) => `${p.wins} of the last ${p.of}` },
            {
              header: "Actions",
              cell: (p) => (
                <span class="actions">
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => void accept(p, true)}
                    aria-label={`Accept ${p.category} for ${p.merchant_name}`}
                  >
                    Accept
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => void accept(p, false)}
                    aria-label={`Disable the proposal for ${p.merchant_name}`}
                  >
                    Disable
                  </button>
                </span>
              ),
            },
          ]}
        />
      </section>
      <CashbackRules accounts={data.accounts} />
    </>
  );
}

export const route: PageRoute = {
  path: "/rules",
  title: "Rules",
  access: "user",
  nav: { label: "Rules", order: 33 },
  component: RulesPage,
};
