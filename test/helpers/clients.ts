/** Distinct client addresses (CF-Connecting-IP), so throttling tests never share a client. */
export const randomIp = () => `10.${Array.from(crypto.getRandomValues(new Uint8Array(3))).join(".")}`;

export const randomIpv6 = () => `2001:db8:${Array.from(crypto.getRandomValues(new Uint16Array(6)), (n) => n.toString(16)).join(":")}`;

/** Headers for a request from `ip`. */
export const from = (ip: string) => ({ "cf-connecting-ip": ip });
