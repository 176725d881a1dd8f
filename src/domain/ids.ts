/**
 * Identifiers: a type prefix and 20 random base32 characters (100 bits).
 * Transfer ids embed their source account, so any request can find the
 * Durable Object that owns the transfer without a registry lookup.
 */

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * Random bytes are drawn from the CSPRNG in blocks of POOL_BYTES and each byte
 * is handed out once: an id costs a slice of the block instead of a call into
 * the runtime (a transfer makes about ten ids).
 */
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let poolAt = POOL_BYTES;

export function randomToken(length = 20): string {
  if (length > POOL_BYTES) throw new RangeError(`randomToken: at most ${POOL_BYTES} characters`);
  if (poolAt + length > POOL_BYTES) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  let out = "";
  for (let i = poolAt, end = poolAt + length; i < end; i++) out += ALPHABET[pool[i]! & 31];
  poolAt += length;
  return out;
}

export const newUserId = () => `usr_${randomToken()}`;
export const newAccountId = () => `acc_${randomToken()}`;
export const newEntryId = () => `txn_${randomToken()}`;
export const newEventId = () => `evt_${randomToken()}`;
export const newJobId = () => `job_${randomToken()}`;
export const newDigestId = () => `dgst_${randomToken()}`;
export const newRefreshTokenId = () => `rtk_${randomToken()}`;
export const newTokenFamilyId = () => `rtf_${randomToken()}`;

const ACCOUNT_ID = /^acc_[0-9a-z]{20}$/;
const TRANSFER_ID = /^trf_([0-9a-z]{20})_[0-9a-z]{12}$/;

export function isAccountId(id: string): boolean {
  return ACCOUNT_ID.test(id);
}

export function newTransferId(sourceAccountId: string): string {
  return `trf_${sourceAccountId.slice(4)}_${randomToken(12)}`;
}

/** The source account of a transfer id, or null when the id is malformed. */
export function transferSource(transferId: string): string | null {
  const m = TRANSFER_ID.exec(transferId);
  return m ? `acc_${m[1]}` : null;
}

export const newPayeeId = () => `pye_${randomToken()}`;
export const newInstitutionId = () => `ins_${randomToken()}`;

const PAYMENT_ID = /^pay_([0-9a-z]{20})_[0-9a-z]{12}$/;

/** Payment ids embed their account, like transfer ids. */
export function newPaymentId(accountId: string): string {
  return `pay_${accountId.slice(4)}_${randomToken(12)}`;
}

/** The account of a payment id, or null when the id is malformed. */
export function paymentAccount(paymentId: string): string | null {
  const m = PAYMENT_ID.exec(paymentId);
  return m ? `acc_${m[1]}` : null;
}

export const newRunId = () => `run_${randomToken()}`;
