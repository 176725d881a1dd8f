import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig } from "vitest/config";

// Two projects. `workers`: tests run inside workerd against the real local
// bindings from wrangler.toml (Durable Objects, D1, Queues, R2); secrets are
// test-only values. `e2e`: plain Node tests that start their own `wrangler dev`
// (test/e2e/); they run after the workers project, one file at a time.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  ENVIRONMENT: "test",
                  JWT_SECRET: "test-jwt-secret-0123456789abcdef0123456789abcdef",
                  PASSWORD_PEPPER: "test-pepper-0123456789abcdef0123456789abcdef",
                  TEST_MIGRATIONS: migrations,
                  // As local dev runs it (see .dev.vars.example); rate-limits.security.api.test.ts also drives the binding itself.
                  RATE_LIMIT_BACKEND: "isolate",
                  WEBHOOK_ALLOW_LOOPBACK: "on",
                  // The simulated payment processor, deterministic: no delays, no random declines or transient errors
                  // (tests use its test references instead: src/domain/payments/simulator.ts).
                  PAYMENTS_SIM_FAILURE_RATE: "0",
                  PAYMENTS_SIM_TRANSIENT_RATE: "0",
                  PAYMENTS_SIM_DELAY_MS_MIN: "0",
                  PAYMENTS_SIM_DELAY_MS_MAX: "0",
                },
              },
            }),
          ],
          test: {
            name: "workers",
            include: configDefaults.include,
            exclude: [...configDefaults.exclude, "test/e2e/**"],
            sequence: { groupOrder: 0 },
            setupFiles: ["./test/setup.ts"],
            testTimeout: 30_000,
            hookTimeout: 30_000,
          },
        },
        {
          test: {
            name: "e2e",
            include: ["test/e2e/**/*.e2e.test.ts"],
            environment: "node",
            // Each file runs its own wrangler dev: one at a time on a 2-core machine, after the workers project.
            fileParallelism: false,
            sequence: { groupOrder: 1 },
            testTimeout: 120_000,
            hookTimeout: 180_000,
          },
        },
      ],
    },
  };
});
