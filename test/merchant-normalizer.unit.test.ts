/** The deterministic merchant normalizer: processor prefixes, store numbers and ids stripped, aliases from Silver's rules. */
import { describe, expect, it } from "vitest";
import { CONFIDENCE, merchantKeyOf, normalizeMerchant } from "../src/domain/intel/merchant-normalizer";
import { compileRules } from "../src/pipeline/enrich";

describe("normalizeMerchant", () => {
  it("strips processor prefixes and says so", () => {
    expect(normalizeMerchant("SQ *BLUE BOTTLE COFFEE #12")).toEqual({
      key: "blue-bottle-coffee",
      display_name: "Blue Bottle Coffee",
      confidence: CONFIDENCE.stripped,
      stripped: ["processor:square", "store_number"],
      rule_id: null,
    });
    expect(normalizeMerchant("TST* JOE'S PIZZA").key).toBe("joe-s-pizza");
    expect(normalizeMerchant("PAYPAL *STEAMGAMES").display_name).toBe("Steamgames");
    expect(normalizeMerchant("PAYPAL *STEAMGAMES").stripped).toEqual(["processor:paypal"]);
    expect(normalizeMerchant("SP * ALLBIRDS")).toMatchObject({ key: "allbirds", stripped: ["processor:shopify"] });
  });

  it("maps Amazon Marketplace rows with their order ids to one merchant", () => {
    for (const raw of ["AMZN Mktp US*2K4LL93T2", "AMZN MKTP US*RT6YH1", "Amzn Mktp"]) {
      expect(normalizeMerchant(raw)).toMatchObject({ key: "amazon", display_name: "Amazon", stripped: ["processor:amazon_marketplace"] });
    }
  });

  it("strips store numbers and reference ids but keeps names with digits", () => {
    expect(normalizeMerchant("STARBUCKS STORE 01234").key).toBe("starbucks");
    expect(normalizeMerchant("SHELL OIL 5744210A8")).toMatchObject({ key: "shell-oil", stripped: ["reference_id"] });
    expect(normalizeMerchant("UBER *TRIP HELP.UBER.COM")).toMatchObject({ key: "uber", stripped: ["reference_id"] });
    expect(normalizeMerchant("7-ELEVEN")).toMatchObject({ key: "7-eleven", confidence: CONFIDENCE.clean, stripped: [] });
  });

  it("is deterministic: the same text always gives the same key", () => {
    const a = normalizeMerchant("SQ *GYM CLUB #12");
    const b = normalizeMerchant("gym club store 0042");
    expect(a.key).toBe(b.key);
    expect(normalizeMerchant("SQ *GYM CLUB #12")).toEqual(a);
  });

  it("uses Silver's merchant rules as the alias table, with the rule's id", () => {
    const rules = compileRules([
      { id: "mr_netflix", priority: 1, field: "merchant", pattern: "^netflix", merchant: "Netflix", category: "entertainment" },
    ]);
    expect(normalizeMerchant("NETFLIX.COM 866-579-7172", rules)).toEqual({
      key: "netflix",
      display_name: "Netflix",
      confidence: CONFIDENCE.alias,
      stripped: [],
      rule_id: "mr_netflix",
    });
  });

  it("falls back to the raw text with a low confidence when nothing is left", () => {
    expect(normalizeMerchant("#123456")).toMatchObject({ key: "123456", confidence: CONFIDENCE.fallback });
    expect(normalizeMerchant("   ")).toMatchObject({ key: "unknown", confidence: 0 });
    expect(normalizeMerchant(null).key).toBe("unknown");
    expect(merchantKeyOf("Café Noir")).toBe("cafe-noir");
    expect(merchantKeyOf("Crème Brûlée")).toBe("creme-brulee");
  });
});
