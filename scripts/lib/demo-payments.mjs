/**
 * The demo payee and one payment from the demo checking account, so the
 * Payments page is not empty on first run. Idempotent: the payee is found by
 * name before one is added, and the payment's Idempotency-Key is fixed, so a
 * second run replays the first reply. Returns the payment's status.
 */
export const DEMO_PAYEE = { name: "City Power & Water", account_ref: "GB29NWBK60161331926819" };

export async function demoPayment(api, token, checkingId) {
  const payees = await api.get("/v1/payees?limit=100", token);
  const payee = payees.data.find((p) => p.name === DEMO_PAYEE.name) ?? (await api.post("/v1/payees", DEMO_PAYEE, token));
  const payment = await api.expect(
    "POST",
    "/v1/payments",
    {
      token,
      key: "demo-payment-utilities-1",
      body: { from_account_id: checkingId, payee_id: payee.id, amount: 12_500, memo: "Utilities" },
    },
    [200, 202],
  );
  return payment.status;
}
