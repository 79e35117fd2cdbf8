/**
 * The sandbox carrier's inventory (telephony.md → Sandbox carrier): fictional numbers
 * `+1 NPA 555-0100` … `+1 NPA 555-0189` for any US area code; `…0190`–`…0199` are test
 * destinations and never sold.
 */
export interface AvailableNumber {
  phone_number: string;
  country_code: 'US';
  number_type: 'local' | 'toll_free';
  state: string | null;
  locality: string | null;
  monthly_cost_cents: number;
  upfront_cost_cents: number;
  currency: 'USD';
}

const FIRST_LINE = 100;
const LAST_SELLABLE_LINE = 189;
// NANP toll-free codes (FCC); the sandbox sells toll-free numbers under them too.
const TOLL_FREE_NPAS = new Set(['800', '833', '844', '855', '866', '877', '888']);
// The area code shown when none is asked for: San Francisco, the demo's home.
export const DEFAULT_AREA_CODE = '415';

// A few well-known area codes, so listings look like a carrier's; others have no locality.
const PLACES: Record<string, [string, string]> = {
  '212': ['NY', 'New York'], '213': ['CA', 'Los Angeles'], '305': ['FL', 'Miami'], '312': ['IL', 'Chicago'],
  '415': ['CA', 'San Francisco'], '512': ['TX', 'Austin'], '617': ['MA', 'Boston'], '646': ['NY', 'New York'],
  '650': ['CA', 'San Mateo'], '702': ['NV', 'Las Vegas'], '206': ['WA', 'Seattle'], '303': ['CO', 'Denver'],
  '404': ['GA', 'Atlanta'], '503': ['OR', 'Portland'], '510': ['CA', 'Oakland'], '720': ['CO', 'Denver'],
};

/** True for a NANP area code (NXX: first digit 2–9, not an N11 service code). */
export function isAreaCode(npa: string): boolean {
  return /^[2-9]\d\d$/.test(npa) && !/^[2-9]11$/.test(npa);
}

function describe(e164: string): AvailableNumber {
  const npa = e164.slice(2, 5);
  const place = PLACES[npa];
  return {
    phone_number: e164,
    country_code: 'US',
    number_type: TOLL_FREE_NPAS.has(npa) ? 'toll_free' : 'local',
    state: place?.[0] ?? null,
    locality: place?.[1] ?? null,
    monthly_cost_cents: 0,
    upfront_cost_cents: 0,
    currency: 'USD',
  };
}

/** The inventory entry for an E.164 number, or null when the sandbox does not sell it. */
export function sandboxNumber(e164: string): AvailableNumber | null {
  const match = /^\+1(\d{3})555(\d{4})$/.exec(e164);
  if (!match) return null;
  const [, npa, line] = match as unknown as [string, string, string];
  const n = Number(line);
  if (!isAreaCode(npa) || n < FIRST_LINE || n > LAST_SELLABLE_LINE) return null;
  return describe(e164);
}

/** Numbers of an area code not yet taken, in order. */
export function listSandboxNumbers(opts: { areaCode: string; numberType?: 'local' | 'toll_free' | undefined; limit: number; taken: Set<string> }): AvailableNumber[] {
  const out: AvailableNumber[] = [];
  if (!isAreaCode(opts.areaCode)) return out;
  for (let n = FIRST_LINE; n <= LAST_SELLABLE_LINE && out.length < opts.limit; n++) {
    const e164 = `+1${opts.areaCode}555${String(n).padStart(4, '0')}`;
    if (opts.taken.has(e164)) continue;
    const d = describe(e164);
    if (opts.numberType && d.number_type !== opts.numberType) continue;
    out.push(d);
  }
  return out;
}
