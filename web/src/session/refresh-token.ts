/**
 * Where the refresh token lives. For now: this module's memory only (gone on a
 * reload, never in localStorage). When the API sets it as an HttpOnly cookie,
 * this module becomes a no-op holder and actions.ts stops sending it in bodies:
 * nothing else in the app touches the refresh token.
 */
let token: string | undefined;

export const refreshToken = {
  get: (): string | undefined => token,
  set: (value: string | undefined): void => {
    token = value;
  },
};
