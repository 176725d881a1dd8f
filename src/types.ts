/** Hono context typing shared by every router and middleware. */
import type { Principal } from "./auth/access-token";
import type { AppConfig } from "./config";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    config: AppConfig;
    principal: Principal;
  };
}
